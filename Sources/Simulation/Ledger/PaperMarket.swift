import Foundation
import TradingDomain

/// The paper broker's New York day (order lists).
public enum PaperSession {
    /// The New York calendar day of `date` as `yyyy-MM-dd`.
    public static func day(of date: Date) -> String { MarketTime.day(of: date) }
}

/// What the paper broker trades against for one symbol at one moment.
public struct PaperPrices: Sendable, Hashable {
    /// Best bid (a seller's market price).
    public var bid: Decimal?
    /// Best ask (a buyer's market price).
    public var ask: Decimal?
    /// Last trade (what stops watch first).
    public var last: Decimal?

    public init(bid: Decimal?, ask: Decimal?, last: Decimal?) {
        self.bid = bid
        self.ask = ask
        self.last = last
    }

    /// What a buyer pays at market: the ask, else the last trade.
    public var buyReference: Decimal? { ask ?? last }
    /// What a seller gets at market: the bid, else the last trade.
    public var sellReference: Decimal? { bid ?? last }
    /// What a buy stop watches: the last trade, else the ask.
    public var buyTrigger: Decimal? { last ?? ask }
    /// What a sell stop watches: the last trade, else the bid.
    public var sellTrigger: Decimal? { last ?? bid }
    /// The mark for valuing a position: the last trade, else the mid, else either side.
    public var mark: Decimal? {
        if let last { return last }
        if let bid, let ask { return ((bid + ask) / 2).rounded(scale: 4) }
        return bid ?? ask
    }

    /// Prices of an equity from its quote; zero or negative prices count as missing.
    public init?(quote: Quote?) {
        func positive(_ value: Decimal?) -> Decimal? { value.flatMap { $0 > 0 ? $0 : nil } }
        guard let quote else { return nil }
        self.init(bid: positive(quote.bid), ask: positive(quote.ask), last: positive(quote.last))
        if bid == nil, ask == nil, last == nil { return nil }
    }

    /// Prices of an option from its underlying's price: the Black–Scholes value with the
    /// configured volatility and rate as `last`, and a synthetic spread of `optionSpreadPercent`
    /// (at least 0.01) either side.
    public init(option: OptionSymbol, underlyingPrice: Decimal, now: Date, settings: PaperSettings) {
        let value = BlackScholes.price(
            option.right, underlying: underlyingPrice, strike: option.strike,
            yearsToExpiry: BlackScholes.yearsToExpiry(from: now, to: option.expiration),
            volatility: settings.optionVolatility, rate: settings.riskFreeRate)
        let half = max(Decimal(1) / 100, (value * settings.optionSpreadPercent / 100).rounded(scale: 2))
        self.init(bid: max(0, value - half), ask: value + half, last: value)
    }
}

extension PaperLedger {
    /// The prices the ledger trades `symbol` at now: an equity's quote, or for an option the model
    /// price from its underlying's quote (`Quote.price`: last, else mid). Nil without data.
    public func prices(for symbol: Symbol, now: Date, quote: (Symbol) -> Quote?) -> PaperPrices? {
        guard symbol.isOption else { return PaperPrices(quote: quote(symbol)) }
        guard let option = OptionSymbol(symbol),
              let underlying = PaperPrices(quote: quote(option.underlying))?.mark
        else { return nil }
        return PaperPrices(option: option, underlyingPrice: underlying, now: now, settings: settings)
    }

    /// The prices to fill `symbol` at now: as `prices(for:now:quote:)`, but only from a quote (an
    /// option's underlying's) received at or after `since`, the start of the current session.
    func prices(for symbol: Symbol, now: Date, receivedSince since: Date, quote: (Symbol) -> Quote?) -> PaperPrices? {
        guard let market = quote(Self.marketSymbol(for: symbol)), market.receivedAt >= since else { return nil }
        return prices(for: symbol, now: now, quote: quote)
    }

    /// The symbol whose quotes move `symbol`'s price: the underlying for an option.
    public static func marketSymbol(for symbol: Symbol) -> Symbol {
        OptionSymbol(symbol)?.underlying ?? symbol
    }
}
