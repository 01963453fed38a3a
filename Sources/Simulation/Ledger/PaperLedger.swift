import Foundation
import TradingDomain

/// The paper account's books: cash, positions, working and recently finished orders, fills and
/// realised P&L. A pure value: every operation takes the time and a quote lookup, changes the
/// ledger and returns what changed as `PaperUpdate`s, so the paper broker only has to store the
/// document and publish the updates.
///
/// Rules, kept simple on purpose:
/// - Orders fill whole (no partial fills), at the prices described in `match(now:quote:)`.
/// - `sell`/`sell_to_close` may not exceed the long quantity held, `buy_to_cover`/`buy_to_close`
///   not the short quantity; opening the other side while a position is held is refused (close
///   it first), so positions never flip through orders. These rules are checked when the order is
///   placed and again when it fills, against the position at that moment (working orders do not
///   reserve quantity, so both legs of a bracket can work; the second to fill is rejected).
/// - Buying power = cash − 150 % of the short market value (short proceeds plus a 50 % margin).
///   A long opening needs cost + commission ≤ buying power; a short opening needs 50 % of its value
///   + commission ≤ buying power. Closing orders need none.
/// - Options are priced from their underlying (Black–Scholes), multiplier 100. There is no
///   exercise or assignment: an expired option's working orders expire, and a position in it is
///   valued at intrinsic value until it is closed.
/// - Money is `Decimal`. Realised P&L is before commissions; commissions come off cash.
/// - Sessions follow `calendar` (docs/orders.md): an order fills only while the market is in its
///   session (regular for day and gtc, pre-market for `pre`, after-hours for `post`) and only on a
///   price received during that session; nothing fills on a closed day.
public struct PaperLedger: Sendable, Hashable, Codable {
    /// Finished orders kept (oldest dropped first).
    public static let maxFinishedOrders = 500
    /// Fills kept (oldest dropped first).
    public static let maxFills = 2_000
    /// Version of the stored document's layout.
    public static let currentFormat = 1

    /// Layout version of this document (`currentFormat` when written by this version).
    public var format: Int
    /// The fill and fee rules (the paper broker replaces them with the configured ones on load).
    public var settings: PaperSettings
    /// Cash: starting cash, less purchases and commissions, plus sale and short-sale proceeds.
    public internal(set) var cash: Decimal
    /// Open positions, by symbol order.
    public internal(set) var paperPositions: [PaperPosition]
    /// Orders still working, in the order they were placed.
    public internal(set) var workingOrders: [PaperOrder]
    /// Filled, canceled, expired and rejected orders, oldest first (at most `maxFinishedOrders`).
    public internal(set) var finishedOrders: [BrokerOrder]
    /// Executions, oldest first (at most `maxFills`).
    public internal(set) var fills: [Fill]
    /// The number in the next broker order id (`P-1`, `P-2`, …).
    public internal(set) var nextOrderNumber: Int
    /// Realised P&L since the account was opened (before commissions).
    public internal(set) var realizedPnL: Decimal
    /// Trading day (`yyyy-MM-dd`, `MarketCalendar.tradingDay(at:)`) that `realizedPnLOfDay` belongs to.
    public internal(set) var realizedDay: String?
    /// Realised P&L of `realizedDay` (before commissions).
    public internal(set) var realizedPnLOfDay: Decimal
    /// Commissions paid since the account was opened.
    public internal(set) var commissionsPaid: Decimal
    /// Goes up by one on every change; the paper broker stores the ledger when it moved.
    public internal(set) var revision: Int
    /// The market calendar the session rules follow (not stored: the paper broker sets the current
    /// one before every change).
    public var calendar = MarketCalendar()

    enum CodingKeys: String, CodingKey {
        case format, settings, cash, paperPositions, workingOrders, finishedOrders, fills, nextOrderNumber
        case realizedPnL, realizedDay, realizedPnLOfDay, commissionsPaid, revision
    }

    /// A new account holding `settings.startingCash`.
    public init(settings: PaperSettings) {
        format = Self.currentFormat
        self.settings = settings
        cash = settings.startingCash
        paperPositions = []
        workingOrders = []
        finishedOrders = []
        fills = []
        nextOrderNumber = 1
        realizedPnL = 0
        realizedDay = nil
        realizedPnLOfDay = 0
        commissionsPaid = 0
        revision = 0
    }

    // MARK: the stored document

    /// The ledger as one JSON document (what `PaperLedgerStore` keeps).
    public func document() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a document written by `document()`.
    public init(document: Data) throws {
        self = try JSONDecoder().decode(PaperLedger.self, from: document)
        guard format <= Self.currentFormat else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "paper ledger format \(format) is newer than this version reads"))
        }
    }

    // MARK: queries

    /// Positions as `BrokerPort` reports them, by symbol.
    public func positions() -> [BrokerPosition] {
        paperPositions.map(\.brokerPosition)
    }

    /// The open position in `symbol`, if any.
    public func position(for symbol: Symbol) -> PaperPosition? {
        paperPositions.first { $0.symbol == symbol }
    }

    /// Signed quantity held of `symbol` (0 when none).
    public func quantity(of symbol: Symbol) -> Decimal {
        position(for: symbol)?.quantity ?? 0
    }

    /// Working orders plus the orders that finished on `now`'s New York day, oldest first.
    public func orders(now: Date) -> [BrokerOrder] {
        let today = PaperSession.day(of: now)
        let finishedToday = finishedOrders.filter { PaperSession.day(of: $0.updatedAt) == today }
        return (finishedToday + workingOrders.map(\.order)).sorted { $0.createdAt < $1.createdAt }
    }

    /// Any order still on the books with this client order id.
    public func order(clientOrderID: String) -> BrokerOrder? {
        workingOrders.first { $0.order.clientOrderID == clientOrderID }?.order
            ?? finishedOrders.last { $0.clientOrderID == clientOrderID }
    }

    /// Any order still on the books with this broker order id.
    public func order(brokerOrderID: String) -> BrokerOrder? {
        workingOrders.first { $0.order.brokerOrderID == brokerOrderID }?.order
            ?? finishedOrders.last { $0.brokerOrderID == brokerOrderID }
    }

    /// True while any order is working (matching has something to do).
    public var hasWorkingOrders: Bool { !workingOrders.isEmpty }

    /// Symbols whose quotes can fill a working order (an option's underlying).
    public var matchSymbols: Set<Symbol> {
        Set(workingOrders.map { Self.marketSymbol(for: $0.order.request.symbol) })
    }

    /// Symbols the broker needs market data for: those of working orders and positions, with
    /// options replaced by their underlyings.
    public var symbolsOfInterest: Set<Symbol> {
        matchSymbols.union(paperPositions.map { Self.marketSymbol(for: $0.symbol) })
    }

    /// The mark of a position: the current price, else its average price.
    public func mark(of position: PaperPosition, now: Date, quote: (Symbol) -> Quote?) -> Decimal {
        prices(for: position.symbol, now: now, quote: quote)?.mark ?? position.averagePrice
    }

    /// Value of the long positions and (as a positive amount) of the short positions, at the marks.
    public func marketValues(now: Date, quote: (Symbol) -> Quote?) -> (long: Decimal, short: Decimal) {
        var long: Decimal = 0
        var short: Decimal = 0
        for position in paperPositions {
            let value = position.quantity * mark(of: position, now: now, quote: quote)
                * Decimal(position.assetClass.multiplier)
            if value >= 0 { long += value } else { short -= value }
        }
        return (long, short)
    }

    /// Cash minus 150 % of the short market value (never below 0).
    public func buyingPower(now: Date, quote: (Symbol) -> Quote?) -> Decimal {
        let short = marketValues(now: now, quote: quote).short
        return max(0, cash - short * (1 + PaperSettings.shortMarginRate))
    }

    /// Balances at the current marks. `shortMarketValue` is the shorts' value as a positive
    /// liability, so equity = cash + longMarketValue − shortMarketValue.
    public func account(now: Date, quote: (Symbol) -> Quote?) -> BrokerAccount {
        let values = marketValues(now: now, quote: quote)
        let today = calendar.tradingDay(at: now)
        return BrokerAccount(
            broker: "paper", accountNumber: settings.accountNumber, equity: cash + values.long - values.short,
            cash: cash, buyingPower: max(0, cash - values.short * (1 + PaperSettings.shortMarginRate)),
            longMarketValue: values.long, shortMarketValue: values.short,
            realizedPnLToday: realizedDay == today ? realizedPnLOfDay : 0, asOf: now)
    }
}
