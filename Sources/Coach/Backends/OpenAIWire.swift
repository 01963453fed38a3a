import APIInput
import Foundation
import TradingDomain
import TradingEngine

/// One tool call as a model asked for it, read tolerantly (docs/vendors.md §4.2).
struct OpenAIToolCall: Sendable, Hashable {
    /// The call's id, or a synthesized one when the server sent none or an empty one (llama.cpp).
    var id: String
    var name: String
    /// The arguments as an object; nil when they could not be read (`argumentError` says why).
    var arguments: JSONValue?
    var argumentError: String?
}

/// The assistant's turn: text, tool calls and finish reason.
struct OpenAIReply: Sendable, Hashable {
    var content: String?
    var toolCalls: [OpenAIToolCall]
    var finishReason: String?
}

/// Reading and writing the `/chat/completions` wire format, with the Ollama and llama.cpp differences:
/// `content` null, `""` or a list of text parts; `arguments` a JSON string, a JSON object or a
/// string holding a string; missing or empty call ids; tool calls without the `function` wrapper;
/// `finish_reason` `stop`/`tool_calls`/`tool`/`tool_call` (tool calls are acted on whenever present);
/// `reasoning`/`reasoning_content` ignored; `{"error":{"message"}}` bodies.
enum OpenAIWire {
    static let backend = "openai"

    static func parseReply(_ body: Data, round: Int) throws -> OpenAIReply {
        guard let json = CoachWire.parse(body), case .object(let root) = json else {
            throw CoachBackendError.malformed(backend: backend, detail: "the body is not a JSON object")
        }
        if let error = root["error"], error != .null {
            throw CoachBackendError.service(backend: backend, status: nil, message: CoachHTTP.errorMessage(body))
        }
        guard case .array(let choices)? = root["choices"], case .object(let choice)? = choices.first else {
            throw CoachBackendError.malformed(backend: backend, detail: "no choices in the answer")
        }
        let message = choice["message"]?.objectValue ?? choice["delta"]?.objectValue ?? [:]
        var calls: [OpenAIToolCall] = []
        if case .array(let items)? = message["tool_calls"] {
            for (index, item) in items.enumerated() {
                calls.append(toolCall(item, round: round, index: index))
            }
        }
        return OpenAIReply(content: text(message["content"]), toolCalls: calls, finishReason: string(choice["finish_reason"]))
    }

    static func toolCall(_ item: JSONValue, round: Int, index: Int) -> OpenAIToolCall {
        let object = item.objectValue ?? [:]
        // llama.cpp's documentation shows calls without the `function` wrapper.
        let function = object["function"]?.objectValue ?? object
        let id = string(object["id"]).flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(round)_\(index)"
        let name = string(function["name"]) ?? ""
        var call = OpenAIToolCall(id: id, name: name, arguments: nil, argumentError: nil)
        switch function["arguments"] ?? function["parameters"] {
        case nil, .null?:
            call.arguments = .object([:])
        case .object(let arguments)?:
            call.arguments = .object(arguments)
        case .string(let text)?:
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty {
                call.arguments = .object([:])
            } else if var parsed = CoachWire.parse(trimmed) {
                if case .string(let inner) = parsed, let again = CoachWire.parse(inner) { parsed = again }
                if case .object = parsed {
                    call.arguments = parsed
                } else {
                    call.argumentError = "arguments must be a JSON object, not \(parsed.typeName)"
                }
            } else {
                call.argumentError = "arguments are not valid JSON: \(trimmed.prefix(200))"
            }
        case let other?:
            call.argumentError = "arguments must be a JSON object, not \(other.typeName)"
        }
        if name.isEmpty { call.argumentError = "the tool call has no function name" }
        return call
    }

    /// Text of a `content` field: a string, null, or a list of parts `[{"type":"text","text":…}]`.
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .array(let parts)?:
            let texts = parts.compactMap { part -> String? in
                if case .string(let text) = part { return text }
                return string(part.objectValue?["text"])
            }
            return texts.isEmpty ? nil : texts.joined()
        default: return nil
        }
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    // MARK: writing

    static func tools(_ definitions: [CoachToolDefinition]) -> JSONValue {
        .array(definitions.map { definition in
            .object([
                "type": .string("function"),
                "function": .object([
                    "name": .string(definition.name), "description": .string(definition.description), "parameters": definition.parameters,
                ]),
            ])
        })
    }

    static func message(role: String, _ content: String) -> JSONValue {
        .object(["role": .string(role), "content": .string(content)])
    }

    /// The assistant's turn as sent back: arguments always re-encoded as a valid JSON string (Ollama rejects others).
    static func assistantMessage(_ reply: OpenAIReply) -> JSONValue {
        .object([
            "role": .string("assistant"),
            "content": .string(reply.content ?? ""),
            "tool_calls": .array(reply.toolCalls.map { call in
                .object([
                    "id": .string(call.id), "type": .string("function"),
                    "function": .object([
                        "name": .string(call.name),
                        "arguments": .string(CoachWire.text(call.arguments ?? .object([:]))),
                    ]),
                ])
            }),
        ])
    }

    /// The tool message for one call: the result wrapped as data, with the not-instructions notice.
    static func toolMessage(_ call: OpenAIToolCall, _ record: CoachToolCall) -> JSONValue {
        let wrapped: JSONValue = .object([
            "notice": .string(CoachWire.dataNotice),
            "result": CoachWire.resultObject(record, includeActions: false),
        ])
        return .object([
            "role": .string("tool"), "tool_call_id": .string(call.id), "name": .string(call.name),
            "content": .string(CoachWire.text(wrapped)),
        ])
    }
}
