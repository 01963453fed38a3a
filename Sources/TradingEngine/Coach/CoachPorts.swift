import APIInput
import Foundation
import TradingDomain

/// A tool the coach (and the MCP server) can call: name, what it does, and the JSON Schema of its
/// arguments. Arguments are validated against the schema before the handler runs.
public struct CoachToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String
    /// A JSON Schema object (`{"type":"object","properties":{…},"required":[…],"additionalProperties":false}`).
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// One piece of data an answer used: which tool, which provider, how fresh, what exactly.
public struct CoachSource: Sendable, Hashable, Codable {
    public var tool: String
    /// `simulated`, `polygon`, `paper`, `tradier`, `journal`, `settings`, …
    public var provider: String
    /// Time of the data (a quote's time, a position's snapshot time); nil when not applicable.
    public var asOf: Date?
    public var detail: String

    public init(tool: String, provider: String, asOf: Date?, detail: String) {
        self.tool = tool
        self.provider = provider
        self.asOf = asOf
        self.detail = detail
    }
}

/// Something the user may do with one click; the coach never does it itself.
public struct CoachAction: Sendable, Hashable, Codable {
    /// `confirm_order` (place the previewed order with `confirmationToken`) or `confirm_cancel`
    /// (the user cancels the order through the API or the dashboard; no tool can).
    public var type: String
    public var label: String
    public var confirmationToken: String?
    public var expiresAt: Date?
    /// The previewed order (or the order to cancel) as the API shows it.
    public var order: JSONValue

    public init(type: String, label: String, confirmationToken: String?, expiresAt: Date?, order: JSONValue) {
        self.type = type
        self.label = label
        self.confirmationToken = confirmationToken
        self.expiresAt = expiresAt
        self.order = order
    }
}

/// What a tool call produced.
public struct CoachToolResult: Sendable, Hashable {
    public var ok: Bool
    /// The result as data, given to a model as the tool message.
    public var content: JSONValue
    /// One or two plain-English sentences, used by the built-in coach's reply.
    public var summary: String
    public var sources: [CoachSource]
    public var actions: [CoachAction]
    /// True when some data used is stale (lowers confidence).
    public var stale: Bool
    /// Why it failed (bad arguments, broker refused, …) when `ok` is false.
    public var error: String?

    public init(
        ok: Bool, content: JSONValue, summary: String, sources: [CoachSource] = [], actions: [CoachAction] = [],
        stale: Bool = false, error: String? = nil
    ) {
        self.ok = ok
        self.content = content
        self.summary = summary
        self.sources = sources
        self.actions = actions
        self.stale = stale
        self.error = error
    }

    public static func failure(_ message: String, tool: String) -> CoachToolResult {
        CoachToolResult(ok: false, content: .object(["error": .string(message)]), summary: message, error: message)
    }
}

/// The tools, as one registry shared by every coach backend and the MCP server.
public protocol CoachToolbox: Sendable {
    var tools: [CoachToolDefinition] { get }
    /// Validates `arguments` against the tool's schema, then runs it. Never throws: failures are results.
    func call(_ name: String, arguments: JSONValue) async -> CoachToolResult
}

/// One message of a stored conversation.
public struct CoachMessage: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, Codable {
        case user
        case assistant
    }

    public var role: Role
    public var content: String
    public var confidence: Decimal?
    public var sources: [CoachSource]
    public var actions: [CoachAction]
    public var time: Date

    public init(role: Role, content: String, confidence: Decimal? = nil, sources: [CoachSource] = [], actions: [CoachAction] = [], time: Date) {
        self.role = role
        self.content = content
        self.confidence = confidence
        self.sources = sources
        self.actions = actions
        self.time = time
    }
}

/// A coach's answer to one message.
public struct CoachAnswer: Sendable, Hashable {
    public var reply: String
    /// 0–1, from the documented rule (docs/coach.md), never a constant.
    public var confidence: Decimal
    public var sources: [CoachSource]
    public var actions: [CoachAction]
    /// Tools called, in order.
    public var toolsUsed: [String]
    /// `builtin`, `chatdata`, `openai`.
    public var backend: String

    public init(reply: String, confidence: Decimal, sources: [CoachSource], actions: [CoachAction], toolsUsed: [String], backend: String) {
        self.reply = reply
        self.confidence = confidence
        self.sources = sources
        self.actions = actions
        self.toolsUsed = toolsUsed
        self.backend = backend
    }
}

/// A way of answering: the built-in rules, Chat Data, or an OpenAI-compatible model.
public protocol CoachBackend: Sendable {
    var name: String { get }
    /// Answers `message` given the earlier messages of the conversation, using `toolbox`.
    func answer(_ message: String, history: [CoachMessage], toolbox: any CoachToolbox) async throws -> CoachAnswer
}
