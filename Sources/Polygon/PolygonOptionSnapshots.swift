import Foundation
import TradingDomain
import TradingEngine

// Option contracts in the "universal" snapshot, `GET /v3/snapshot?ticker.any_of=O:…,O:…`
// (https://massive.com/docs/rest/stocks/snapshots/universal-snapshot, docs/vendors.md §1.8): one
// batched call for up to 250 option contracts, so the start-up fill, the catch-up and the alert
// poll cover watched options without one call per contract. Per-ticker failures come back inside
// `results` as `{"ticker","error","message"}` and are skipped.

struct UniversalSnapshotResponseDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?
    var results: [Lossy<UniversalSnapshotDTO>]?
}

struct UniversalSnapshotDTO: Decodable {
    var ticker: String
    var error: String?
    var session: UniversalSessionDTO?
    var lastQuote: UniversalQuoteDTO?
    var lastTrade: UniversalTradeDTO?

    private enum CodingKeys: String, CodingKey {
        case ticker, error, session, lastQuote = "last_quote", lastTrade = "last_trade"
    }
}

struct UniversalSessionDTO: Decodable {
    var open: Decimal?
    var high: Decimal?
    var low: Decimal?
    var close: Decimal?
    var volume: Decimal?
    var previousClose: Decimal?

    private enum CodingKeys: String, CodingKey {
        case open, high, low, close, volume, previousClose = "previous_close"
    }
}

/// `last_updated` is Unix ns.
struct UniversalQuoteDTO: Decodable {
    var bid: Decimal?
    var ask: Decimal?
    var lastUpdated: Int64?

    private enum CodingKeys: String, CodingKey { case bid, ask, lastUpdated = "last_updated" }
}

/// `sip_timestamp` (or `last_updated`) is Unix ns.
struct UniversalTradeDTO: Decodable {
    var price: Decimal?
    var sipTimestamp: Int64?
    var lastUpdated: Int64?

    private enum CodingKeys: String, CodingKey { case price, sipTimestamp = "sip_timestamp", lastUpdated = "last_updated" }
}

extension PolygonURLs {
    /// `/v3/snapshot?ticker.any_of=O:A…,O:B…&limit=250` for the option symbols among `symbols`
    /// (sorted, de-duplicated, at most 250, Polygon's spelling). Nil when there are none.
    public func optionSnapshot(for symbols: some Sequence<Symbol>) -> URL? {
        let tickers = Set(symbols).filter(\.isOption).sorted().prefix(250).map { Self.encode(PolygonTicker.ticker(for: $0)) }
        guard !tickers.isEmpty else { return nil }
        return url(["v3", "snapshot"], query: [("ticker.any_of", tickers.joined(separator: ",")), ("limit", "250")])
    }
}

extension PolygonRESTParser {
    /// The universal snapshot's option contracts as snapshots (our OCC symbols). Entries with an
    /// `error`, without a readable ticker, or not options are skipped.
    public static func optionSnapshots(_ body: Data) throws(MarketDataError) -> [MarketSnapshot] {
        let response = try decode(UniversalSnapshotResponseDTO.self, body, what: "option snapshot")
        try PolygonErrors.check(status: response.status, error: response.error, message: response.message)
        return (response.results ?? []).compactMap { $0.value.flatMap(optionSnapshot) }
    }

    static func optionSnapshot(_ dto: UniversalSnapshotDTO) -> MarketSnapshot? {
        guard dto.error == nil, let symbol = PolygonTicker.symbol(from: dto.ticker), symbol.isOption else { return nil }
        let tradeTime = (dto.lastTrade?.sipTimestamp ?? dto.lastTrade?.lastUpdated).flatMap(positive)
        let quoteTime = dto.lastQuote?.lastUpdated.flatMap(positive)
        let tradePrice = dto.lastTrade?.price.flatMap(price)
        return MarketSnapshot(
            symbol: symbol,
            last: tradePrice ?? dto.session?.close.flatMap(price),
            lastTime: (tradePrice == nil ? nil : tradeTime).map(PolygonTime.date(nanoseconds:)),
            bid: dto.lastQuote?.bid.flatMap(price),
            ask: dto.lastQuote?.ask.flatMap(price),
            dayOpen: dto.session?.open.flatMap(price),
            dayHigh: dto.session?.high.flatMap(price),
            dayLow: dto.session?.low.flatMap(price),
            dayVolume: dto.session?.volume,
            previousClose: dto.session?.previousClose.flatMap(price),
            updated: PolygonTime.date(nanoseconds: [tradeTime, quoteTime].compactMap { $0 }.max() ?? 0)
        )
    }
}
