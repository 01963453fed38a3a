/// Words the intent parser knows. A lower-case word in `notTickers` is never read as a ticker, so
/// "what's aapl at" finds AAPL and nothing else. A ticker that is also an English word (ON, IT,
/// NOW, ALL) is found when typed in capitals inside lower-case text, or as a cashtag (`$on`).
enum Vocabulary {
    static let notTickers: Set<String> = Set([
        // articles, pronouns, connectors
        "a", "an", "the", "i", "me", "my", "mine", "we", "us", "our", "you", "your", "it", "its", "this", "that",
        "these", "those", "there", "here", "and", "or", "but", "if", "when", "then", "than", "so", "also", "plus",
        "of", "at", "on", "in", "into", "to", "for", "from", "by", "with", "without", "about", "as", "per", "vs",
        "up", "down", "over", "under", "above", "below", "off", "out", "all", "any", "some", "each", "every",
        "no", "not", "yes", "ok", "okay", "hey", "hi", "hello", "thanks", "thank", "pls", "please", "just",
        // question words and verbs
        "what", "whats", "what's", "whats's", "how", "hows", "how's", "where", "wheres", "where's", "who",
        "why", "which", "when's", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "doing",
        "done", "have", "has", "had", "can", "could", "should", "would", "will", "shall", "may", "might",
        "must", "let", "lets", "let's", "i'm", "im", "i'd", "id", "i've", "ive", "i'll", "want", "wanna",
        "like", "need", "get", "got", "give", "show", "tell", "see", "look", "looks", "looking", "check",
        "list", "find", "make", "put", "go", "going", "goes", "went", "set", "add", "create", "new", "keep",
        "know", "think", "trade", "trades", "trading", "traded", "today", "now", "right", "current",
        "currently", "latest", "last", "live", "real", "time", "again", "more", "less", "much", "many",
        "good", "best", "top", "next", "other", "else", "only", "too", "very", "really", "still", "yet",
        // the journal's discipline questions ("after two losses in a row", docs/journal.md)
        "after", "before", "row", "consecutive", "streak", "losing", "hadn't", "hadnt", "discipline",
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        // trading vocabulary
        "price", "prices", "priced", "quote", "quotes", "quoted", "bid", "ask", "stock", "stocks", "share",
        "shares", "contract", "contracts", "option", "options", "call", "calls", "put", "puts", "equity",
        "ticker", "tickers", "symbol", "symbols", "market", "mkt", "limit", "lmt", "stop", "stops", "sl",
        "loss", "target", "targets", "tp", "entry", "enter", "entering", "exit", "exited", "long", "short",
        "shorted", "shorting", "buy", "buying", "bought", "bot", "sell", "selling", "sold", "cover",
        "covered", "covering", "open", "close", "closed", "order", "orders", "preview", "place", "submit",
        "cancel", "size", "sizing", "sized", "position", "positions", "holding", "holdings", "hold", "own",
        "portfolio", "account", "risk", "risking", "risks", "exposure", "drawdown", "pnl", "p&l", "profit",
        "alert", "alerts", "notify", "ping", "warn", "remind", "drops", "drop", "dips", "dip", "falls",
        "fall", "rises", "rise", "goes", "breaks", "break", "crosses", "cross", "hits", "hit", "reaches",
        "reach", "moves", "move", "changes", "change", "jumps", "jump", "percent", "pct", "journal",
        "journals", "entry's", "note", "notes", "tag", "tags", "stats", "statistics", "win", "rate",
        "expectancy", "factor", "performance", "plan", "plans", "validate", "check", "review", "evaluate",
        "idea", "ideas", "pick", "picks", "recommend", "recommendation", "recommendations", "suggest",
        "suggestion", "suggestions", "setup", "setups", "opportunity", "opportunities", "watchlist", "help",
        "dollars", "dollar", "usd", "bucks", "day", "gtc", "shares?", "x", "r", "halted", "halt", "kill",
        "switch", "limits", "status", "state", "budget", "amount", "quantity", "qty", "worth", "value",
        "level", "levels", "doing?", "trading?", "away", "near", "around", "approx", "roughly", "about?",
        // time words and other common verbs
        "month", "week", "year", "morning", "tonight", "yesterday", "tomorrow", "lately", "recently", "overall",
        "total", "far", "since", "week's", "todays", "today's", "track", "watch", "monitor", "follow", "analyze",
        "analyse", "explain", "compare", "chart", "news", "earnings", "update", "think", "opinion", "thoughts",
        "take", "view", "feel", "say", "said", "tell", "ask", "answer", "coach", "bot", "please", "sure", "fine",
        "great", "bad", "nice", "cool", "big", "small", "high", "low", "once", "twice", "few", "lot", "lots",
        "why's", "who's", "you're", "it's", "that's", "there's", "don't", "doesn't", "isn't", "aren't", "can't",
        "won't", "should've", "am", "being", "getting", "made", "make", "making", "lose", "lost", "won", "gain",
        "gains", "losses", "money", "cash", "fund", "funds", "stats?", "something", "anything", "everything",
    ])

    /// Words skipped before an order verb: "please place an order to buy 10 AAPL".
    static let orderPreamble: Set<String> = Set([
        "please", "pls", "i", "i'd", "id", "i'll", "want", "wanna", "would", "like", "to", "can", "could",
        "you", "go", "ahead", "and", "place", "submit", "put", "in", "an", "a", "order", "preview", "make",
        "let's", "lets", "me", "new", "just", "hey", "ok", "okay", "now", "then", "an", "ticket", "for",
    ])

    /// Tokens skipped between a keyword and its number: "entry at $190", "stop loss 187".
    static let numberConnectors: Set<String> = Set([
        "at", "@", "of", "is", "=", "to", "price", "loss", "around", "near", "~", "about", "approx", "by",
        "level", "px", "a",
    ])

    static let entryWords: Set<String> = Set(["entry", "enter", "entering", "@", "at", "in", "long", "short"])
    static let stopLossWords: Set<String> = Set(["stop", "sl", "stop-loss", "stoploss", "stopped"])
    static let targetWords: Set<String> = Set(["target", "targets", "tp", "tp1", "t1", "take-profit", "objective"])

    /// Fillers allowed in a clause that is only tickers ("aapl?", "aapl and msft").
    static let tickerListFillers: Set<String> = Set(["and", "&", "or", "plus", "also", "what", "about", "how", "hows", "how's", "?"])
}
