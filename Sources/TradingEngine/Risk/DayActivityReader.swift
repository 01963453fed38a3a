import Foundation
import TradingDomain

/// Gathers what day P&L needs (TradingDomain/Risk/DayPnL.swift, docs/risk.md "Day P&L") for the
/// trading day of `now` (`MarketCalendar.tradingDay(at:)`):
/// - fills: the order desk's journaled fills; for an order the broker lists as filled today with
///   more filled than the journal holds (placed on the broker's own site, or a fill the desk has
///   not processed yet) the missing quantity at the price that makes up the broker's average, at
///   the order's last update time;
/// - previous closes from the quote cache;
/// - which positions the broker dates today (`openedAt`, Tradier's `date_acquired`).
public struct DayActivityReader: Sendable {
    let orders: any OrderRepository
    let quotes: QuoteCache
    let calendar: any MarketCalendarSource

    public init(orders: any OrderRepository, quotes: QuoteCache, calendar: any MarketCalendarSource) {
        self.orders = orders
        self.quotes = quotes
        self.calendar = calendar
    }

    /// The broker's positions and orders as of one moment. The overnight quantity is the position
    /// less today's fills, so both must agree: a fill landing between the two reads would be in one
    /// and not the other. After a recent fill the positions are read again until they stand still.
    public func read(_ broker: any BrokerPort, now: Date) async throws(BrokerError) -> (positions: [BrokerPosition], orders: [BrokerOrder]) {
        var positions = try await broker.positions()
        var orders = try await broker.orders()
        let recent = now.addingTimeInterval(-Self.recentFill)
        for _ in 0..<2 where orders.contains(where: { $0.filledQuantity > 0 && $0.updatedAt >= recent }) {
            let again = try await broker.positions()
            if Self.quantities(again) == Self.quantities(positions) { break }
            positions = again
            orders = try await broker.orders()
        }
        return (positions, orders)
    }

    /// A fill this recent (seconds, allowing for the broker's clock) may be missing from one read.
    static let recentFill: TimeInterval = 5

    static func quantities(_ positions: [BrokerPosition]) -> [Symbol: Decimal] {
        positions.reduce(into: [:]) { $0[$1.symbol, default: 0] += $1.quantity }
    }

    /// Today's activity for the `positions` held now, with `brokerOrders` the broker's list of
    /// today's and working orders.
    public func activity(positions: [BrokerPosition], brokerOrders: [BrokerOrder], now: Date) async throws -> DayActivity {
        let calendar = calendar.calendar()
        let today = calendar.tradingDay(at: now)
        // Today's trading day starts when the previous one's late session ends.
        let start = calendar.previousTradingDay(before: today).flatMap(calendar.postClose(of:))
            ?? now.addingTimeInterval(-7 * 86_400)
        var fills = try await orders.fills(since: start).map(DayFill.init)
        for order in brokerOrders where order.filledQuantity > 0 && order.updatedAt >= start {
            guard let average = order.averageFillPrice, calendar.tradingDay(at: order.updatedAt) == today else { continue }
            let known = try await orders.fills(clientOrderID: order.clientOrderID)
            let missing = order.filledQuantity - known.reduce(Decimal(0)) { $0 + $1.quantity }
            guard missing > 0 else { continue }
            let knownCost = known.reduce(Decimal(0)) { $0 + $1.quantity * $1.price }
            let price = (average * order.filledQuantity - knownCost) / missing
            fills.append(DayFill(
                symbol: order.request.symbol, quantity: missing * Decimal(order.request.action.sign),
                price: price > 0 ? price : average, time: order.updatedAt))
        }
        var quoted: [Symbol: Quote] = [:]
        for symbol in Set(positions.map(\.symbol)).union(fills.map(\.symbol)) {
            quoted[symbol] = quotes.quote(for: symbol)
        }
        return DayActivity(now: now, calendar: calendar, positions: positions, fills: fills, quotes: quoted)
    }
}
