/// The symbols the trader watches, in the order they chose. No duplicates.
public struct Watchlist: Sendable, Hashable {
    public static let maxSymbols = 200
    public static let defaultSymbols = ["SPY", "QQQ", "AAPL", "MSFT", "NVDA", "AMZN", "TSLA"]
        .map(Symbol.init(trusted:))

    public private(set) var symbols: [Symbol]

    public init(symbols: [Symbol]) {
        var seen = Set<Symbol>()
        self.symbols = symbols.filter { seen.insert($0).inserted }
    }
}
