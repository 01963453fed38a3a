import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// Coach conversations: one row per message, in order.
public struct FluentConversationRepository: ConversationRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    public func messages(conversationID: UUID) async throws -> [CoachMessage]? {
        let rows = try await CoachMessageModel.query(on: store.db())
            .filter(\.$conversationID == conversationID).sort(\.$position).all()
        guard !rows.isEmpty else { return nil }
        return try rows.map { row in
            CoachMessage(
                role: CoachMessage.Role(rawValue: row.role) ?? .assistant, content: row.content,
                confidence: try row.confidence.map { try DecimalColumns.decimal($0, column: "confidence", row: row.id) },
                sources: (try? Self.decoder.decode([CoachSource].self, from: Data(row.sources.utf8))) ?? [],
                actions: (try? Self.decoder.decode([CoachAction].self, from: Data(row.actions.utf8))) ?? [],
                time: Date(epochMilliseconds: row.createdAtMs))
        }
    }

    public func append(conversationID: UUID, _ messages: [CoachMessage]) async throws {
        try await store.db().transaction { db in
            let last = try await CoachMessageModel.query(on: db).filter(\.$conversationID == conversationID).max(\.$position) ?? -1
            for (offset, message) in messages.enumerated() {
                let row = CoachMessageModel()
                row.id = UUID()
                row.conversationID = conversationID
                row.position = last + 1 + offset
                row.role = message.role.rawValue
                row.content = message.content
                row.confidence = message.confidence.map(DecimalColumns.text)
                row.sources = String(decoding: try Self.encoder.encode(message.sources), as: UTF8.self)
                row.actions = String(decoding: try Self.encoder.encode(message.actions), as: UTF8.self)
                row.createdAtMs = message.time.epochMilliseconds
                try await row.create(on: db)
            }
        }
    }
}
