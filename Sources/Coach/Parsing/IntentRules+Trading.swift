import Foundation
import TradingDomain

/// The parser's rules, one function per tool. Each returns nil when its wording is absent.
enum IntentRules {
    static func certainty(_ complete: Bool) -> Decimal {
        complete ? IntentParser.clear : IntentParser.partial
    }

    // MARK: cancel_order

    /// "cancel order abc-123", "cancel #abc-123".
    static func cancelOrder(_ clause: Clause) -> ParsedIntent? {
        guard let cancel = clause.firstIndex(of: ["cancel", "kill"]) else { return nil }
        let after = clause.tokens[(cancel + 1)...].filter { !["the", "my", "order", "orders", "id", "number", "no", "#", "please"].contains($0.lower) }
        let mentionsOrder = clause.hasAny(["order", "orders"])
        guard mentionsOrder || after.first.map(looksLikeOrderID) == true else { return nil }
        var arguments = ArgumentsBuilder()
        if let id = after.first, looksLikeOrderID(id) {
            arguments.set("order_id", String(id.text.drop(while: { $0 == "#" })))
        }
        return ParsedIntent(tool: "cancel_order", arguments: arguments.json, certainty: certainty(arguments.has("order_id")), matched: clause.original)
    }

    static func looksLikeOrderID(_ token: Token) -> Bool {
        token.text.contains(where: \.isASCIIDigitCharacter) && token.text.count >= 2
    }

    // MARK: set_alert

    /// "alert me if TSLA drops below 200", "notify me when aapl crosses 190", "alert on nvda moving 5%".
    static func setAlert(_ clause: Clause) -> ParsedIntent? {
        let asked = clause.hasAny([
            "alert", "alert me", "set alert", "set an alert", "create an alert", "add an alert", "notify me", "tell me",
            "let me know", "ping me", "warn me", "remind me",
        ])
        guard asked, !clause.hasAny(["alerts", "list alerts", "my alerts"]) || clause.has("alert me") else { return nil }
        let below = ["below", "under", "beneath", "less", "drops", "drop", "falls", "fall", "dips", "dip", "sinks", "<"]
        let above = ["above", "over", "exceeds", "exceed", "more", "rises", "rise", "climbs", "breaks", "jumps", ">"]
        let cross = ["crosses", "cross", "crossing", "hits", "hit", "reaches", "reach", "touches", "gets"]
        var arguments = ArgumentsBuilder()
        var type: String?
        var threshold: Decimal?
        if let percent = clause.tokens.first(where: { $0.isPercent && $0.number != nil }) {
            type = "percent_change"
            threshold = percent.number
        } else if let index = clause.numberIndex(after: Set(below + above + cross + ["at", "@"])) {
            threshold = clause.tokens[index].number
            let before = clause.tokens[..<index].map(\.lower)
            // The last direction word before the number decides: "drops below" → below, "rises above" → above.
            if let word = before.last(where: { below.contains($0) || above.contains($0) || cross.contains($0) }) {
                type = below.contains(word) ? "price_below" : above.contains(word) ? "price_above" : "price_cross"
            } else {
                type = "price_cross"
            }
        }
        guard type != nil || clause.hasAny(["set alert", "set an alert", "create an alert", "add an alert", "alert me"]) else { return nil }
        arguments.set("symbol", clause.firstTicker())
        arguments.set("type", type)
        arguments.set("threshold", threshold)
        arguments.set("note", clause.originalText(afterWord: "note"))
        let complete = arguments.has("symbol", "type", "threshold")
        return ParsedIntent(tool: "set_alert", arguments: arguments.json, certainty: certainty(complete), matched: clause.original)
    }

    // MARK: preview_order

    /// "buy 10 AAPL at market", "sell 5 msft limit 190", "short 10 tsla stop 250 limit 249", "buy to open 1 AAPL260116C00200000 limit 3.5".
    static func previewOrder(_ clause: Clause) -> ParsedIntent? {
        let tokens = clause.tokens
        guard let (verb, action) = orderVerb(clause) else { return nil }
        let priceWords: Set<String> = ["at", "@", "limit", "lmt", "stop", "stp", "$", "plan", "price", "entry", "target", "tp"]
        let quantityIndex = tokens.indices.dropFirst(verb + 1).first { index in
            guard let value = tokens[index].number, !tokens[index].isPercent, !tokens[index].isDollar, value.isWhole else { return false }
            return !priceWords.contains(tokens[index - 1].lower)
        }
        var arguments = ArgumentsBuilder()
        arguments.set("symbol", clause.firstTicker())
        arguments.set("action", action)
        arguments.set("quantity", quantityIndex.flatMap { tokens[$0].number })
        let stop = clause.number(after: ["stop", "stp"])
        let limitKeyword = clause.number(after: ["limit", "lmt"])
        let atPrice = clause.number(after: ["at", "@"])
        var ambiguous = false
        if clause.hasAny(["stop limit", "stop-limit", "stoplimit"]), let stopIndex = clause.numberIndex(after: ["stop", "stop-limit", "stoplimit", "limit"]) {
            arguments.set("type", "stop_limit")
            arguments.set("stop_price", tokens[stopIndex].number)
            let nextIndex = tokens.indices.dropFirst(stopIndex + 1).first { tokens[$0].price != nil }
            arguments.set("limit_price", nextIndex.flatMap { tokens[$0].number })
        } else if let stop, let limit = limitKeyword ?? atPrice, limitKeyword != nil {
            arguments.set("type", "stop_limit")
            arguments.set("stop_price", stop)
            arguments.set("limit_price", limit)
        } else if stop != nil, let atPrice {
            // "buy 10 AAPL at 190 stop 185": a limit entry with a protective stop the preview cannot carry.
            arguments.set("type", "limit")
            arguments.set("limit_price", atPrice)
            ambiguous = true
        } else if let stop {
            arguments.set("type", "stop")
            arguments.set("stop_price", stop)
        } else if let limit = limitKeyword ?? atPrice, !clause.hasAny(["market", "mkt"]) {
            arguments.set("type", "limit")
            arguments.set("limit_price", limit)
        } else {
            arguments.set("type", "market")
        }
        if let planIndex = clause.firstIndex(of: ["plan"]), planIndex + 1 < tokens.count {
            arguments.set("plan_id", tokens[planIndex + 1].text)
        }
        let complete = arguments.has("symbol", "quantity") && !ambiguous
        return ParsedIntent(tool: "preview_order", arguments: arguments.json, certainty: certainty(complete), matched: clause.original)
    }

    /// The order verb that starts the clause (after "please place an order to"), and its action.
    static func orderVerb(_ clause: Clause) -> (index: Int, action: String)? {
        let tokens = clause.tokens
        guard let verb = tokens.firstIndex(where: { !Vocabulary.orderPreamble.contains($0.lower) }) else { return nil }
        let words = tokens[verb...].prefix(3).map(\.lower)
        let rest = Array(words.dropFirst())
        switch words.first {
        case "bto": return (verb, "buy_to_open")
        case "btc": return (verb, "buy_to_close")
        case "sto": return (verb, "sell_to_open")
        case "stc": return (verb, "sell_to_close")
        case "cover": return (verb, "buy_to_cover")
        case "short": return (verb, "sell_short")
        case "buy":
            if rest.starts(with: ["to", "open"]) { return (verb, "buy_to_open") }
            if rest.starts(with: ["to", "close"]) { return (verb, "buy_to_close") }
            if rest.starts(with: ["to", "cover"]) { return (verb, "buy_to_cover") }
            return (verb, "buy")
        case "sell":
            if rest.starts(with: ["to", "open"]) { return (verb, "sell_to_open") }
            if rest.starts(with: ["to", "close"]) { return (verb, "sell_to_close") }
            if rest.first == "short" { return (verb, "sell_short") }
            return (verb, "sell")
        default: return nil
        }
    }

    // MARK: suggest_size and validate_plan

    /// "size a long AAPL entry 190 stop 187 risking 1%", "how many shares of msft at 400 stop 390 risking $200".
    static func suggestSize(_ clause: Clause) -> ParsedIntent? {
        guard clause.hasAny(["size", "sizing", "size it", "how many shares", "how many contracts", "how much should i buy", "position size"]) else { return nil }
        var arguments = planArguments(clause)
        if let index = clause.numberIndex(after: ["risking", "risk", "with"], allowPercent: true) ?? clause.tokens.firstIndex(where: { $0.isPercent && $0.number != nil }) {
            let token = clause.tokens[index]
            arguments.builder.set(token.isPercent ? "risk_pct" : "risk_amount", token.number)
        }
        let complete = arguments.builder.has("side", "entry", "stop") && !arguments.inferredSide
        return ParsedIntent(tool: "suggest_size", arguments: arguments.builder.json, certainty: certainty(complete), matched: clause.original)
    }

    /// "validate a short NVDA entry 900 stop 920 target 850", "check my plan: long aapl entry 190 stop 187 targets 196, 200".
    static func validatePlan(_ clause: Clause) -> ParsedIntent? {
        let entry = clause.number(after: Vocabulary.entryWords)
        let stop = clause.number(after: Vocabulary.stopLossWords)
        let asked = clause.hasAny(["validate", "check", "review", "evaluate", "is this a good", "grade"]) && (entry != nil || stop != nil)
            || clause.hasAny(["plan", "trade plan", "validate plan", "check plan", "check my plan"]) && !clause.has("plan id")
        let shaped = entry != nil && stop != nil
            && (clause.hasAny(["entry", "enter", "entering"]) || clause.hasAny(["long", "short"]) && orderVerb(clause) == nil)
        guard asked || shaped else { return nil }
        if orderVerb(clause) != nil && !clause.hasAny(["entry", "enter", "entering", "validate", "review", "evaluate"]) { return nil }
        guard asked || clause.firstTicker() != nil else { return nil }
        var arguments = planArguments(clause)
        arguments.builder.set("targets", numbers: clause.numbers(after: Vocabulary.targetWords))
        let complete = arguments.builder.has("symbol", "side", "entry", "stop") && !arguments.inferredSide
        return ParsedIntent(tool: "validate_plan", arguments: arguments.builder.json, certainty: certainty(complete), matched: clause.original)
    }

    /// Symbol, side, entry, stop and asset class, shared by sizing and plan checks. A missing side is
    /// inferred from entry and stop (stop below entry → long), which lowers certainty.
    static func planArguments(_ clause: Clause) -> (builder: ArgumentsBuilder, inferredSide: Bool) {
        var builder = ArgumentsBuilder()
        let entry = clause.number(after: Vocabulary.entryWords)
        let stop = clause.number(after: Vocabulary.stopLossWords)
        builder.set("symbol", clause.firstTicker())
        var side = explicitSide(clause)
        var inferred = false
        if side == nil, let entry, let stop, entry != stop {
            side = stop < entry ? "long" : "short"
            inferred = true
        }
        builder.set("side", side)
        builder.set("entry", entry)
        builder.set("stop", stop)
        if clause.hasAny(["option", "options", "call", "calls", "put", "puts", "contract", "contracts"]) {
            builder.set("asset_class", "option")
        }
        return (builder, inferred)
    }

    static func explicitSide(_ clause: Clause) -> String? {
        if clause.hasAny(["short", "shorting", "sell short"]) { return "short" }
        if clause.hasAny(["long", "buy", "buying"]) { return "long" }
        return nil
    }
}
