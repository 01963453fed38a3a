import Foundation
import Logging
import TradingDomain

/// Storage of coach conversations.
public protocol ConversationRepository: Sendable {
    /// Messages of a conversation, oldest first; nil when it does not exist.
    func messages(conversationID: UUID) async throws -> [CoachMessage]?
    /// Appends messages (creating the conversation if new).
    func append(conversationID: UUID, _ messages: [CoachMessage]) async throws
}

/// One chat turn: the question, the backend's answer, both stored in the conversation.
public struct CoachTurn: Sendable {
    public var conversationID: UUID
    public var answer: CoachAnswer
}

/// Runs a backend over the shared toolbox and keeps the conversation.
public final class CoachService: Sendable {
    public let backend: any CoachBackend
    public let toolbox: any CoachToolbox
    let conversations: any ConversationRepository
    let clock: any WallClock
    let logger: Logger
    /// Earlier messages given to the backend (the newest ones).
    public let historyLimit: Int

    public init(
        backend: any CoachBackend, toolbox: any CoachToolbox, conversations: any ConversationRepository,
        clock: any WallClock, logger: Logger, historyLimit: Int = 20
    ) {
        self.backend = backend
        self.toolbox = toolbox
        self.conversations = conversations
        self.clock = clock
        self.logger = logger
        self.historyLimit = historyLimit
    }

    /// Answers `message` in a conversation (a new one when `conversationID` is nil). Throws
    /// `CoachConversationNotFound` for an unknown id.
    public func chat(_ message: String, conversationID: UUID?) async throws -> CoachTurn {
        let id = conversationID ?? UUID()
        var history: [CoachMessage] = []
        if let conversationID {
            guard let stored = try await conversations.messages(conversationID: conversationID) else {
                throw CoachConversationNotFound(id: conversationID)
            }
            history = Array(stored.suffix(historyLimit))
        }
        let asked = CoachMessage(role: .user, content: message, time: clock.now())
        let answer = try await backend.answer(message, history: history, toolbox: toolbox)
        let reply = CoachMessage(
            role: .assistant, content: answer.reply, confidence: answer.confidence, sources: answer.sources,
            actions: answer.actions, time: clock.now())
        try await conversations.append(conversationID: id, [asked, reply])
        logger.info("coach answered", metadata: [
            "backend": .string(answer.backend), "tools": .string(answer.toolsUsed.joined(separator: ",")),
            "confidence": .string("\(answer.confidence)"),
        ])
        return CoachTurn(conversationID: id, answer: answer)
    }

    public func conversation(_ id: UUID) async throws -> [CoachMessage]? {
        try await conversations.messages(conversationID: id)
    }
}

public struct CoachConversationNotFound: Error, Sendable {
    public var id: UUID
}
