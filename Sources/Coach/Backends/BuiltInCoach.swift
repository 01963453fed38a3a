import Foundation
import TradingDomain
import TradingEngine

/// The offline coach: reads the user's message with `IntentParser`, calls the tools it names
/// (arguments checked against each tool's schema first), and writes the reply from the results'
/// summaries. It acts only on the user's own message: text inside tool results (journal notes,
/// alert notes, quotes) is never parsed, so it cannot cause a tool call.
public struct BuiltInCoach: CoachBackend {
    public let name = "builtin"
    let parser: IntentParser
    /// At most this many tool calls per message.
    let maxCalls: Int

    /// - Parameter maxCalls: the most tool calls one message may cause (default 6).
    public init(maxCalls: Int = 6) {
        parser = IntentParser()
        self.maxCalls = max(1, maxCalls)
    }

    public func answer(_ message: String, history: [CoachMessage], toolbox: any CoachToolbox) async throws -> CoachAnswer {
        let intents = Array(parser.parse(message).prefix(maxCalls))
        guard !intents.isEmpty else { return capabilitiesAnswer(for: message, toolbox: toolbox) }
        var calls: [CoachToolCall] = []
        for intent in intents {
            let result = await ToolRunner.run(intent.tool, arguments: intent.arguments, toolbox: toolbox)
            calls.append(CoachToolCall(name: intent.tool, arguments: intent.arguments, result: result))
        }
        let certainty = intents.map(\.certainty).min() ?? 0
        let confidence = ConfidenceRule.score(ConfidenceInputs(base: certainty, results: calls.map(\.result)))
        return CoachAnswer(
            reply: reply(for: calls), confidence: confidence, sources: calls.allSources, actions: calls.allActions,
            toolsUsed: calls.map(\.name), backend: name)
    }

    func reply(for calls: [CoachToolCall]) -> String {
        var lines: [String] = []
        for call in calls {
            if call.result.ok {
                lines.append(call.result.summary)
                if !call.result.actions.isEmpty {
                    lines.append("Nothing has been placed: review the preview and confirm it if you want the order.")
                }
            } else {
                let reason = call.result.error ?? call.result.summary
                var line = "I couldn't do \(CoachCapabilities.title(call.name)): \(reason)."
                if let example = CoachCapabilities.example(call.name) { line += " Try e.g. \"\(example)\"." }
                lines.append(line)
            }
        }
        let stale = calls.filter { $0.result.ok && $0.result.stale }
        if !stale.isEmpty {
            let times = stale.flatMap(\.result.sources).compactMap(\.asOf).min().map { " (oldest data from \(ISO8601.format($0)))" } ?? ""
            lines.append("Note: some of this data is stale\(times), so treat it with care.")
        }
        return lines.joined(separator: "\n")
    }

    func capabilitiesAnswer(for message: String, toolbox: any CoachToolbox) -> CoachAnswer {
        let help = parser.isHelpRequest(message)
        let opening = help
            ? "Here is what I can do. Ask in plain English, for example:"
            : "I'm not sure what you mean, so I haven't done anything. I can help with these, for example:"
        let reply = ([opening] + CoachCapabilities.lines(for: toolbox.tools.map(\.name))).joined(separator: "\n")
        let base: Decimal = help ? ConfidenceRule.noDataCap : Decimal.hundredths(10)
        let confidence = ConfidenceRule.score(ConfidenceInputs(base: base, intentUnknown: !help))
        return CoachAnswer(reply: reply, confidence: confidence, sources: [], actions: [], toolsUsed: [], backend: name)
    }
}

/// What each tool is for, in words, with an example request the built-in coach understands.
public enum CoachCapabilities {
    /// (tool, short title, example) in the order they are listed to the user.
    public static let catalog: [(tool: String, title: String, example: String)] = [
        ("quotes", "quotes", "what's AAPL at? / price of msft and nvda"),
        ("picks", "trade ideas", "what should I trade? / top 3 ideas"),
        ("validate_plan", "a plan check", "validate a short NVDA entry 900 stop 920 target 850"),
        ("suggest_size", "position sizing", "size a long AAPL entry 190 stop 187 risking 1%"),
        ("set_alert", "an alert", "alert me if TSLA drops below 200"),
        ("list_alerts", "the alert list", "list alerts"),
        ("preview_order", "an order preview", "buy 10 AAPL limit 190 (a preview you confirm; I never place orders)"),
        ("cancel_order", "a cancel", "cancel order 8f3a21"),
        ("add_journal_entry", "a journal entry", "journal: bought AAPL 10 @ 190 stop 187, note: breakout"),
        ("risk", "the risk check", "how's my risk?"),
        ("positions", "positions", "show my positions"),
        ("journal_stats", "journal stats", "journal stats / my win rate on AAPL"),
        ("market_status", "the market session", "is the market open? / when does the market open?"),
    ]

    public static func title(_ tool: String) -> String {
        catalog.first { $0.tool == tool }?.title ?? tool
    }

    public static func example(_ tool: String) -> String? {
        catalog.first { $0.tool == tool }?.example
    }

    /// One line per tool the toolbox offers: "• quotes: what's AAPL at? …".
    public static func lines(for tools: [String]) -> [String] {
        let offered = Set(tools)
        return catalog.filter { offered.isEmpty || offered.contains($0.tool) }.map { "• \($0.tool): \($0.example)" }
    }
}
