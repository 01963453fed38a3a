import APIInput
import Coach
import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// `POST /api/v1/coach/chat`, `GET /api/v1/coach/conversations/{id}`, `GET /api/v1/coach/tools`.
struct CoachController {
    let service: CoachService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("coach/chat") { request, context in
            var errors = FieldErrors()
            let body = try await request.jsonBody(context: context)
            guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
            let message = reader.string("message", errors: &errors, maxLength: 2_000, allowEmpty: false).value?.trimmingWhitespace()
            var conversationID: UUID?
            if let text = reader.string("conversation_id", errors: &errors, maxLength: 64).value {
                if let id = UUID(uuidString: text) { conversationID = id } else { errors.add("conversation_id", "must be a conversation id (a UUID)") }
            }
            reader.rejectUnknownKeys(errors: &errors)
            if message == nil || message?.isEmpty == true, !errors.errors.contains(where: { $0.field == "message" }) {
                errors.add("message", "is required")
            }
            try errors.throwIfAny()
            do {
                let turn = try await service.chat(message!, conversationID: conversationID)
                return JSONResponse(ChatDTO(turn))
            } catch let missing as CoachConversationNotFound {
                throw Problem.notFound("no conversation with id \(missing.id.uuidString.lowercased())")
            } catch let error as CoachBackendError {
                throw Problem(.badGateway, code: "coach_backend_failed", detail: error.description)
            }
        }
        group.get("coach/conversations/:id") { _, context in
            let raw = try context.parameters.require("id")
            guard let id = UUID(uuidString: raw), let messages = try await service.conversation(id) else {
                throw Problem.notFound("no conversation with id '\(raw)'")
            }
            return JSONResponse(ConversationDTO(id: id.uuidString.lowercased(), messages: messages.map(MessageDTO.init)))
        }
        group.get("coach/tools") { _, _ in
            JSONResponse(ToolsDTO(backend: service.backend.name, tools: service.toolbox.tools.map {
                ToolDTO(name: $0.name, description: $0.description, parameters: $0.parameters)
            }))
        }
    }
}

struct SourceDTO: Encodable, Sendable {
    var tool: String
    var provider: String
    var as_of: Date?
    var detail: String

    init(_ source: CoachSource) {
        (tool, provider, as_of, detail) = (source.tool, source.provider, source.asOf, source.detail)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tool, forKey: .tool)
        try c.encode(provider, forKey: .provider)
        try c.encode(as_of, forKey: .as_of)
        try c.encode(detail, forKey: .detail)
    }

    enum CodingKeys: String, CodingKey { case tool, provider, as_of, detail }
}

struct ActionDTO: Encodable, Sendable {
    var type: String
    var label: String
    var confirmation_token: String?
    var expires_at: Date?
    var order: JSONValue

    init(_ action: CoachAction) {
        (type, label, confirmation_token, expires_at, order) = (action.type, action.label, action.confirmationToken, action.expiresAt, action.order)
    }
}

struct ChatDTO: Encodable, Sendable {
    var conversation_id: String
    var reply: String
    var confidence: Decimal
    var sources: [SourceDTO]
    var actions: [ActionDTO]
    var backend: String
    var tools_used: [String]

    init(_ turn: CoachTurn) {
        conversation_id = turn.conversationID.uuidString.lowercased()
        reply = turn.answer.reply
        confidence = turn.answer.confidence
        sources = turn.answer.sources.map(SourceDTO.init)
        actions = turn.answer.actions.map(ActionDTO.init)
        backend = turn.answer.backend
        tools_used = turn.answer.toolsUsed
    }
}

struct MessageDTO: Encodable, Sendable {
    var role: String
    var content: String
    var confidence: Decimal?
    var sources: [SourceDTO]
    var actions: [ActionDTO]
    var time: Date

    init(_ message: CoachMessage) {
        role = message.role.rawValue
        content = message.content
        confidence = message.confidence
        sources = message.sources.map(SourceDTO.init)
        actions = message.actions.map(ActionDTO.init)
        time = message.time
    }
}

struct ConversationDTO: Encodable, Sendable {
    var id: String
    var messages: [MessageDTO]
}

struct ToolDTO: Encodable, Sendable {
    var name: String
    var description: String
    var parameters: JSONValue
}

struct ToolsDTO: Encodable, Sendable {
    var backend: String
    var tools: [ToolDTO]
}
