import APIInput
import Foundation
import TradingDomain

extension IntentRules {
    // MARK: questions

    /// "journal stats", "my win rate on aapl", "stats for tag breakout", "how am i doing".
    static func journalStats(_ clause: Clause) -> ParsedIntent? {
        guard clause.hasAny([
            "stats", "statistics", "win rate", "winrate", "expectancy", "profit factor", "how am i doing", "my performance",
            "journal summary", "average win", "average loss", "my journal", "the journal", "show journal",
            "losses in a row", "consecutive losses", "losing streak", "discipline",
        ]) else { return nil }
        var arguments = ArgumentsBuilder()
        arguments.set("symbol", clause.firstTicker())
        arguments.set("tag", tag(in: clause))
        arguments.set("after_losses", lossRun(in: clause))
        return ParsedIntent(tool: "journal_stats", arguments: arguments.json, certainty: IntentParser.clear, matched: clause.original)
    }

    /// "after two losses in a row", "3 consecutive losses": the run length (1-10), for the
    /// discipline what-if (docs/journal.md, "Discipline flags").
    static func lossRun(in clause: Clause) -> Decimal? {
        let words = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10]
        guard let index = clause.tokens.firstIndex(where: { $0.lower.hasPrefix("loss") || $0.lower == "losing" }), index > 0 else { return nil }
        for token in clause.tokens[..<index].reversed().prefix(2) {
            if let number = token.number, number >= 1, number <= 10, number.isWhole { return number }
            if let value = words[token.lower] { return Decimal(value) }
        }
        return nil
    }

    /// "#breakout" or "tag breakout".
    static func tag(in clause: Clause) -> String? {
        if let hashtag = clause.tokens.first(where: { $0.text.hasPrefix("#") && $0.text.count > 1 }) {
            return String(hashtag.lower.dropFirst())
        }
        if let index = clause.firstIndex(of: ["tag", "tagged"]), index + 1 < clause.tokens.count {
            return clause.tokens[index + 1].lower
        }
        return nil
    }

    /// "list alerts", "show my alerts", "what alerts do i have on tsla".
    static func listAlerts(_ clause: Clause) -> ParsedIntent? {
        guard clause.hasAny(["alerts", "list alert", "show alert", "my alert", "active alert", "alert list"]) else { return nil }
        var arguments = ArgumentsBuilder()
        arguments.set("symbol", clause.firstTicker())
        return ParsedIntent(tool: "list_alerts", arguments: arguments.json, certainty: IntentParser.clear, matched: clause.original)
    }

    /// "how's my risk", "risk status", "am i halted", "exposure".
    static func risk(_ clause: Clause) -> ParsedIntent? {
        let strong = clause.hasAny([
            "my risk", "risk status", "risk limits", "risk state", "open risk", "exposure", "daily loss", "drawdown",
            "kill switch", "halted", "am i halted", "buying power", "how's risk", "hows risk", "how is risk", "risk check",
            "account risk", "my equity", "my account", "account status", "p&l", "pnl", "how much did i make",
            "how much have i made", "how much did i lose", "how much have i lost",
        ])
        guard strong || clause.has("risk") else { return nil }
        return ParsedIntent(tool: "risk", arguments: .object([:]), certainty: strong ? IntentParser.clear : Decimal.hundredths(75), matched: clause.original)
    }

    /// "is the market open?", "market hours", "when does the market open", "is today a holiday".
    static func marketStatus(_ clause: Clause) -> ParsedIntent? {
        guard clause.hasAny([
            "market open", "markets open", "market closed", "markets closed", "market close", "market hours", "trading hours",
            "market status", "market session", "the session", "is the market", "are the markets", "are markets",
            "when does the market", "when do the markets", "when do markets", "next open", "market holiday", "a holiday",
            "early close", "closes early",
        ]) else { return nil }
        return ParsedIntent(tool: "market_status", arguments: .object([:]), certainty: IntentParser.clear, matched: clause.original)
    }

    /// "show my positions", "what do i hold", "my portfolio".
    static func positions(_ clause: Clause) -> ParsedIntent? {
        guard clause.hasAny([
            "positions", "my position", "holdings", "what do i hold", "what do i own", "what am i holding", "my portfolio",
            "open trades", "what am i in",
        ]), !clause.hasAny(["position size", "position sizing"]) else { return nil }
        return ParsedIntent(tool: "positions", arguments: .object([:]), certainty: IntentParser.clear, matched: clause.original)
    }

    /// "what should I trade", "any ideas", "top 3 picks".
    static func picks(_ clause: Clause) -> ParsedIntent? {
        guard clause.hasAny([
            "ideas", "idea", "picks", "pick", "what should i trade", "what should i buy", "what to trade", "what to buy",
            "recommend", "recommendation", "recommendations", "suggestion", "suggestions", "what looks good",
            "opportunities", "setups", "anything good", "best setup", "best trade",
        ]) else { return nil }
        var arguments = ArgumentsBuilder()
        if let index = clause.tokens.firstIndex(where: { $0.number != nil && !$0.isPercent && !$0.isDollar }),
           let value = clause.tokens[index].number, value.isWhole {
            arguments.set("limit", min(max(value, 1), 10))
        }
        let certainty: Decimal = clause.hasAny(["pick", "idea", "suggestion"]) ? Decimal.hundredths(75) : IntentParser.clear
        return ParsedIntent(tool: "picks", arguments: arguments.json, certainty: certainty, matched: clause.original)
    }

    /// "what's AAPL at", "price of msft and nvda", "quote TSLA", "aapl?".
    static func quotes(_ clause: Clause) -> ParsedIntent? {
        let tickers = Array(clause.tickers().prefix(20))
        let strong = clause.hasAny([
            "price", "prices", "quote", "quotes", "trading at", "bid", "ask", "last", "look up", "lookup", "check", "worth",
            "how much is", "how much are", "think about", "thoughts on", "opinion on", "take on", "look at", "what about",
        ])
        // "what's aapl at", "how is aapl doing", "where is aapl trading": a question that ends like a quote request.
        let endsLikeQuote = clause.hasAny(["what's", "whats", "what is", "how's", "hows", "how is", "where's", "where is"])
            && ["at", "now", "doing", "trading", "today"].contains(clause.tokens.last?.lower ?? "")
        let asked = strong || endsLikeQuote
        let onlyTickers = !tickers.isEmpty && clause.tokens.indices.allSatisfy { index in
            clause.ticker(at: index) != nil || Vocabulary.tickerListFillers.contains(clause.tokens[index].lower)
        }
        guard asked || onlyTickers else { return nil }
        guard !tickers.isEmpty || clause.hasAny(["price", "quote", "quotes", "prices"]) else { return nil }
        var arguments = ArgumentsBuilder()
        arguments.set("symbols", strings: tickers)
        let certainty: Decimal = tickers.isEmpty ? IntentParser.partial : asked ? IntentParser.clear : Decimal.hundredths(70)
        return ParsedIntent(tool: "quotes", arguments: arguments.json, certainty: certainty, matched: clause.original)
    }

    // MARK: journal entry

    static let journalHeads = [
        "add a journal entry", "add journal entry", "add to my journal", "add to journal", "journal entry", "journal this",
        "journal", "log a trade", "log trade", "log", "record a trade", "record trade",
    ]

    /// "journal: bought AAPL 10 @ 190 stop 187, sold @ 195, note: …". The whole message is the
    /// entry: nothing in it (notes included) is read as another request.
    static func journalEntry(_ message: String, shouting: Bool) -> ParsedIntent? {
        let trimmed = message.trimmingWhitespace()
        let lower = trimmed.lowercased()
        guard let head = journalHeads.first(where: { lower.hasPrefix($0) }) else { return nil }
        let rest = trimmed.dropFirst(head.count).drop(while: \.isWhitespace)
        let text: Substring
        if let first = rest.first, ":-–—".contains(first) {
            text = rest.dropFirst()
        } else if let word = rest.split(separator: " ").first?.lowercased(),
                  ["bought", "sold", "shorted", "covered", "long", "short", "bot", "buy", "sell"].contains(word) {
            text = rest
        } else {
            return nil
        }
        let notes = Clause.text(in: String(text), afterWord: "note") ?? Clause.text(in: String(text), afterWord: "notes")
        let structuredText = notes.map { _ in String(text.prefix(upTo: noteStart(in: text))) } ?? String(text)
        let clause = Clause(structuredText, shouting: shouting)
        return ParsedIntent(
            tool: "add_journal_entry", arguments: journalArguments(clause, notes: notes),
            certainty: 0, matched: trimmed
        ).withCertainty()
    }

    static func noteStart(in text: Substring) -> Substring.Index {
        let lower = text.lowercased()
        var search = lower.startIndex
        while let range = lower.range(of: "note", range: search..<lower.endIndex) {
            let beforeOK = range.lowerBound == lower.startIndex || !lower[lower.index(before: range.lowerBound)].isLetter
            if beforeOK {
                let offset = lower.distance(from: lower.startIndex, to: range.lowerBound)
                return text.index(text.startIndex, offsetBy: min(offset, text.count))
            }
            search = range.upperBound
        }
        return text.endIndex
    }

    static func journalArguments(_ clause: Clause, notes: String?) -> JSONValue {
        var arguments = ArgumentsBuilder()
        let side: String? = clause.hasAny(["short", "shorted", "sold short", "shorting"]) ? "short"
            : clause.hasAny(["bought", "buy", "long", "bot"]) ? "long"
            : clause.hasAny(["sold", "sell"]) ? "short" : nil
        let exitWords: Set<String> = side == "short"
            ? ["covered", "cover", "exit", "exited", "out", "closed"]
            : ["sold", "sell", "exit", "exited", "out", "closed"]
        let exitIndex = clause.numberIndex(after: exitWords)
        var entryIndex: Int?
        var search = 0
        while let index = clause.numberIndex(after: ["@", "at", "entry", "price", "for"], from: search) {
            if index != exitIndex { entryIndex = index; break }
            search = index + 1
        }
        let priceWords: Set<String> = ["@", "at", "entry", "price", "for", "stop", "sl", "exit", "sold", "out", "covered", "target", "$"]
        let quantityIndex = clause.tokens.indices.first { index in
            guard let value = clause.tokens[index].number, !clause.tokens[index].isPercent, !clause.tokens[index].isDollar, value.isWhole,
                  index != entryIndex, index != exitIndex else { return false }
            return index == 0 || !priceWords.contains(clause.tokens[index - 1].lower)
        }
        arguments.set("symbol", clause.firstTicker())
        arguments.set("side", side)
        arguments.set("entry_price", entryIndex.flatMap { clause.tokens[$0].number })
        arguments.set("quantity", quantityIndex.flatMap { clause.tokens[$0].number })
        arguments.set("exit_price", exitIndex.flatMap { clause.tokens[$0].number })
        arguments.set("stop", clause.number(after: Vocabulary.stopLossWords))
        if let notes, !notes.isEmpty { arguments.set("notes", notes) }
        var tags = clause.tokens.filter { $0.text.hasPrefix("#") && $0.text.count > 1 }.map { String($0.lower.dropFirst()) }
        if let index = clause.firstIndex(of: ["tag", "tags", "tagged"]) {
            tags += clause.tokens[(index + 1)...].prefix { $0.number == nil && !$0.text.hasPrefix("#") && !priceWords.contains($0.lower) }.map(\.lower)
        }
        arguments.set("tags", strings: tags.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } })
        return arguments.json
    }
}

extension ParsedIntent {
    /// Certainty of a journal entry: clear when symbol, side, entry and quantity were all read.
    func withCertainty() -> ParsedIntent {
        var copy = self
        let fields = arguments.objectValue ?? [:]
        let complete = ["symbol", "side", "entry_price", "quantity"].allSatisfy { fields[$0] != nil }
        copy.certainty = complete ? IntentParser.clear : IntentParser.partial
        return copy
    }
}
