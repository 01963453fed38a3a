import Foundation
import TradingDomain
import Synchronization

/// The latest quote per symbol. It is the sink of the streaming feed: each batch of events updates
/// the quotes under one lock, then every changed quote is published as a `price` event.
/// A symbol with nothing received for `staleAfter` seconds is stale — judged only while its session
/// trades (`MarketCalendar.trades(_:at:)`: equities 04:00–20:00 on trading days, options in the
/// regular session); overnight, on weekends and holidays a price from the last session is not stale.
public final class QuoteCache: MarketEventSink, Sendable {
    private let quotes = Mutex<[Symbol: Quote]>([:])
    private let clock: any WallClock
    private let bus: EventBus
    public let staleAfter: TimeInterval
    private let provider: String
    /// The market calendar staleness is judged by.
    public let calendar: any MarketCalendarSource
    private let counters = Mutex<(events: Int, batches: Int)>((0, 0))
    /// The trading day of the newest events, so a quote rolls at its first event of a new day
    /// (`Quote.roll(to:)`); recomputed only when an event falls outside it.
    private let dayWindow = Mutex<TradingDayWindow?>(nil)

    public init(
        clock: any WallClock, bus: EventBus, staleAfter: TimeInterval, provider: String,
        calendar: any MarketCalendarSource = FixedMarketCalendar()
    ) {
        self.calendar = calendar
        self.clock = clock
        self.bus = bus
        self.staleAfter = staleAfter
        self.provider = provider
    }

    public func receive(_ events: [MarketEvent]) {
        guard !events.isEmpty else { return }
        let now = clock.now()
        var changed: [Symbol: Quote] = [:]
        var window = dayWindow.withLock { $0 }
        quotes.withLock { quotes in
            for event in events {
                let symbol = event.symbol
                let day = self.window(for: event.time, cached: &window)
                var quote = quotes[symbol] ?? Quote(symbol: symbol, asOf: event.time, receivedAt: now, source: provider)
                quote.apply(event, receivedAt: now, source: provider, day: day)
                quotes[symbol] = quote
                changed[symbol] = quote
            }
        }
        dayWindow.withLock { $0 = window }
        counters.withLock { $0.events += events.count; $0.batches += 1 }
        bus.publish(.prices(Array(changed.values)))
    }

    /// Applies REST snapshots (start-up fill, catch-up after a gap, poller) and publishes them.
    public func apply(_ snapshots: [MarketSnapshot], source: String) {
        let now = clock.now()
        var changed: [Quote] = []
        var window = dayWindow.withLock { $0 }
        quotes.withLock { quotes in
            for snapshot in snapshots {
                let day = self.window(for: snapshot.lastTime ?? snapshot.updated, cached: &window)
                var quote = quotes[snapshot.symbol]
                    ?? Quote(symbol: snapshot.symbol, asOf: snapshot.lastTime ?? snapshot.updated, receivedAt: now, source: source)
                quote.apply(snapshot, receivedAt: now, source: source, day: day)
                quotes[snapshot.symbol] = quote
                changed.append(quote)
            }
        }
        if !changed.isEmpty { bus.publish(.prices(changed)) }
    }

    /// The trading day of `time`: the cached one when it contains `time`, else computed (and
    /// cached when it is the newest day seen).
    private func window(for time: Date, cached: inout TradingDayWindow?) -> TradingDayWindow {
        if let cached, cached.contains(time) { return cached }
        let window = TradingDayWindow.containing(time, in: calendar.calendar())
        if cached.map({ window.date > $0.date }) ?? true { cached = window }
        return window
    }

    public func quote(for symbol: Symbol) -> Quote? {
        quotes.withLock { $0[symbol] }
    }

    /// Quotes for these symbols with their staleness; symbols never seen are left out.
    public func quotes(for symbols: [Symbol]) -> [(quote: Quote, stale: Bool)] {
        let now = clock.now()
        let calendar = self.calendar.calendar()
        return quotes.withLock { quotes in
            symbols.compactMap { symbol in
                quotes[symbol].map { ($0, calendar.trades(symbol, at: now) && $0.isStale(now: now, after: staleAfter)) }
            }
        }
    }

    /// Whether `quote` is stale now: nothing received for `staleAfter` while its symbol trades.
    public func isStale(_ quote: Quote) -> Bool {
        let now = clock.now()
        return calendar.calendar().trades(quote.symbol, at: now) && quote.isStale(now: now, after: staleAfter)
    }

    /// Symbols (among `symbols`) that trade now and have no data, or none for longer than `staleAfter`.
    public func staleSymbols(among symbols: Set<Symbol>) -> Set<Symbol> {
        let now = clock.now()
        let calendar = self.calendar.calendar()
        let trading = symbols.filter { calendar.trades($0, at: now) }
        guard !trading.isEmpty else { return [] }
        return quotes.withLock { quotes in
            trading.filter { symbol in quotes[symbol].map { $0.isStale(now: now, after: staleAfter) } ?? true }
        }
    }

    /// Forgets symbols no longer watched.
    public func retain(only symbols: Set<Symbol>) {
        quotes.withLock { quotes in quotes = quotes.filter { symbols.contains($0.key) } }
    }

    public var eventCount: Int { counters.withLock { $0.events } }
}
