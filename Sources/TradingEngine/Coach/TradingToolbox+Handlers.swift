import APIInput
import Foundation
import TradingDomain

extension TradingToolbox {
    static func num(_ value: Decimal?) -> JSONValue { value.map(JSONValue.number) ?? .null }
    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    func args(_ value: JSONValue) -> [String: JSONValue] { value.objectValue ?? [:] }

    func symbols(_ value: JSONValue?) throws -> [Symbol] {
        guard case .array(let items)? = value else { return [] }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item else { throw ValidationFailure(field: "symbols[\(index)]", message: "must be a string") }
            return try Symbol(validating: text, field: "symbols[\(index)]")
        }
    }

    /// Quote facts, its source, and whether it is stale.
    func quoteFacts(_ symbol: Symbol, tool: String) -> (content: JSONValue, source: CoachSource?, stale: Bool, line: String) {
        guard let quote = market.cache.quote(for: symbol), let price = quote.price else {
            return (.object(["symbol": .string(symbol.rawValue), "missing": .bool(true)]), nil, true, "\(symbol): no quote yet")
        }
        let stale = market.cache.isStale(quote)
        let change = quote.changePct.map { " (\($0 >= 0 ? "+" : "")\($0)%)" } ?? ""
        let content: JSONValue = .object([
            "symbol": .string(symbol.rawValue), "last": Self.num(quote.last), "bid": Self.num(quote.bid), "ask": Self.num(quote.ask),
            "change_pct": Self.num(quote.changePct), "day_high": Self.num(quote.dayHigh), "day_low": Self.num(quote.dayLow),
            "as_of": .string(ISO8601.format(quote.asOf)), "stale": .bool(stale),
        ])
        let line = "\(symbol) \(price)\(change)" + (stale ? " — stale, last update \(ISO8601.format(quote.receivedAt))" : "")
        return (content, CoachSource(tool: tool, provider: quote.source, asOf: quote.asOf, detail: "\(symbol) last \(price)"), stale, line)
    }

    func quotes(_ arguments: JSONValue) throws -> CoachToolResult {
        let list = try symbols(args(arguments)["symbols"])
        let facts = list.map { quoteFacts($0, tool: "quotes") }
        let market = marketFacts()
        return CoachToolResult(
            ok: true, content: .object(["quotes": .array(facts.map(\.content)), "market": market.content]),
            summary: facts.map(\.line).joined(separator: "; ") + "." + market.note,
            sources: facts.compactMap(\.source), stale: facts.contains { $0.stale })
    }

    func picks(_ arguments: JSONValue) async throws -> CoachToolResult {
        var limit = 3
        if case .number(let value)? = args(arguments)["limit"] { limit = NSDecimalNumber(decimal: value).intValue }
        let symbols = try await market.watchlist.list()
        var ranked: [(symbol: Symbol, score: Decimal, reason: String, facts: (content: JSONValue, source: CoachSource?, stale: Bool, line: String))] = []
        for symbol in symbols {
            guard let quote = market.cache.quote(for: symbol), let price = quote.price, let change = quote.changePct else { continue }
            var reason = "\(change >= 0 ? "up" : "down") \(abs(change))% from the previous close"
            var score = abs(change)
            if let high = quote.dayHigh, let low = quote.dayLow, high > low {
                let place = ((price - low) / (high - low) * 100).rounded(scale: 0)
                reason += ", at \(place)% of the day's range (\(low)–\(high))"
                // Strength at the top of the range, or weakness at the bottom, ranks higher.
                if (change > 0 && place >= 80) || (change < 0 && place <= 20) { score += 1 }
            }
            ranked.append((symbol, score, reason, quoteFacts(symbol, tool: "picks")))
        }
        ranked.sort { $0.score > $1.score || ($0.score == $1.score && $0.symbol < $1.symbol) }
        let top = ranked.prefix(limit)
        let market = marketFacts()
        let content: JSONValue = .object(["picks": .array(top.enumerated().map { index, pick in
            .object(["rank": .number(Decimal(index + 1)), "symbol": .string(pick.symbol.rawValue), "reason": .string(pick.reason),
                     "score": .number(pick.score), "quote": pick.facts.content])
        }), "market": market.content])
        let summary = top.isEmpty ? "No watchlist symbol has a quote yet."
            : top.enumerated().map { "\($0.offset + 1). \($0.element.symbol): \($0.element.reason)" }.joined(separator: "; ") + "."
        return CoachToolResult(ok: true, content: content, summary: summary + " Ideas to study, not advice." + market.note,
                               sources: top.compactMap(\.facts.source), stale: top.contains { $0.facts.stale })
    }

    func validatePlan(_ arguments: JSONValue) async throws -> CoachToolResult {
        let evaluation = try await planning.evaluate(arguments)
        let content = try JSONValue.encoding(evaluation)
        let symbol = args(arguments)["symbol"].flatMap { if case .string(let s) = $0 { s.uppercased() } else { nil } } ?? "?"
        let issues = evaluation.errors.map(\.message) + evaluation.warnings.map(\.message)
        let summary = (evaluation.valid ? "The plan is valid. " : "The plan has problems: \(evaluation.errors.map(\.message).joined(separator: "; ")). ")
            + evaluation.summary
        var sources = [CoachSource(tool: "validate_plan", provider: "planning", asOf: clock.now(), detail: "plan for \(symbol): \(issues.count) issue(s)")]
        if let sym = try? Symbol(validating: symbol), let source = quoteFacts(sym, tool: "validate_plan").source { sources.append(source) }
        return CoachToolResult(ok: true, content: content, summary: summary, sources: sources)
    }

    func suggestSize(_ arguments: JSONValue) async throws -> CoachToolResult {
        let answer = try await planning.suggestSize(arguments)
        let result = answer.result
        let unit = result.assetClass == .option ? "contracts" : "shares"
        let summary = "Size: \(result.quantity) \(unit), risking \(result.riskAmount) (\(result.riskPctOfEquity)% of equity), "
            + "position \(result.positionValue) (\(result.pctOfEquity)%); capped by \(result.cappedBy.rawValue.replacingOccurrences(of: "_", with: " "))."
        return CoachToolResult(
            ok: true, content: try JSONValue.encoding(answer), summary: summary,
            sources: [CoachSource(tool: "suggest_size", provider: answer.accountSource, asOf: clock.now(),
                                  detail: "equity \(answer.equity), buying power \(answer.buyingPower.map { "\($0)" } ?? "n/a")")])
    }

    func setAlert(_ arguments: JSONValue) async throws -> CoachToolResult {
        let rule = try AlertInput.create(arguments, id: UUID(), now: clock.now())
        try await alerts.create(rule, maxAlerts: maxAlerts)
        let facts = quoteFacts(rule.symbol, tool: "set_alert")
        return CoachToolResult(
            ok: true, content: .object(["alert_id": .string(rule.id.uuidString.lowercased()), "symbol": .string(rule.symbol.rawValue),
                                        "type": .string(rule.type.rawValue), "threshold": .number(rule.threshold)]),
            summary: "Alert set: \(rule.symbol) \(rule.type.rawValue.replacingOccurrences(of: "_", with: " ")) \(rule.threshold). Now \(facts.line).",
            sources: [CoachSource(tool: "set_alert", provider: "alerts", asOf: rule.createdAt, detail: "alert \(rule.id.uuidString.lowercased())")]
                + (facts.source.map { [$0] } ?? []),
            stale: facts.stale)
    }

    func listAlerts(_ arguments: JSONValue) async throws -> CoachToolResult {
        var symbol: Symbol?
        if case .string(let text)? = args(arguments)["symbol"] { symbol = try Symbol(validating: text) }
        let (rules, _) = try await alertRepository.list(AlertQuery(symbol: symbol, limit: 50))
        let lines = rules.map { "\($0.symbol) \($0.type.rawValue) \($0.threshold) (\($0.status.rawValue))" }
        return CoachToolResult(
            ok: true, content: .object(["alerts": .array(rules.map { .object([
                "id": .string($0.id.uuidString.lowercased()), "symbol": .string($0.symbol.rawValue), "type": .string($0.type.rawValue),
                "threshold": .number($0.threshold), "status": .string($0.status.rawValue)]) })]),
            summary: rules.isEmpty ? "No alerts." : "\(rules.count) alert(s): " + lines.joined(separator: "; ") + ".",
            sources: [CoachSource(tool: "list_alerts", provider: "alerts", asOf: clock.now(), detail: "\(rules.count) alerts")])
    }
}

extension JSONValue {
    /// Any Encodable as a JSON value (numbers stay exact decimals).
    public static func encoding(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        return try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }
}
