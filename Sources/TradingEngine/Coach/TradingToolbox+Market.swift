import APIInput
import Foundation
import TradingDomain

/// The market session in tool results: the `market_status` tool, and the `market` part of
/// `quotes` and `picks`, whose summaries say when the market is not in its regular session.
extension TradingToolbox {
    /// The session as JSON (the shape of `GET /api/v1/market/status`), and a sentence to append to a
    /// summary when the regular session is not open (empty while it is).
    func marketFacts() -> (content: JSONValue, note: String, status: MarketStatus) {
        let status = calendar.status(at: clock.now())
        let content: JSONValue = .object([
            "session": .string(status.session.rawValue), "is_open": .bool(status.isOpen),
            "next_open": .string(ISO8601.format(status.nextOpen)), "next_close": .string(ISO8601.format(status.nextClose)),
            "early_close": .bool(status.earlyClose), "holiday": Self.text(status.holiday),
            "as_of": .string(ISO8601.format(status.asOf)), "summary": .string(status.summary),
        ])
        return (content, status.session == .regular ? "" : " " + status.summary, status)
    }

    func marketStatus() -> CoachToolResult {
        let facts = marketFacts()
        return CoachToolResult(
            ok: true, content: facts.content, summary: facts.status.summary,
            sources: [CoachSource(tool: "market_status", provider: "calendar", asOf: facts.status.asOf,
                                  detail: "session \(facts.status.session.rawValue)")])
    }
}
