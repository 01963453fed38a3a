import Foundation
import Synchronization
import TradingDomain
import TradingEngine

/// A market-data feed whose prices the test sets: every `interval` it sends one trade (and a
/// quote around it) per subscribed symbol at the current scripted price, so the server sees a
/// live, fresh market that moves only when the test moves it.
public final class ScriptedMarket: MarketDataFeed, Sendable {
    public let provider = "scripted"
    let interval: Duration
    let state = Mutex(State())

    struct State {
        var prices: [Symbol: Decimal] = [:]
        var symbols: Set<Symbol> = []
        var status = FeedStatus(provider: "scripted", state: .connecting)
    }

    /// Every symbol starts at `price` unless `set` says otherwise.
    public let defaultPrice: Decimal

    public init(defaultPrice: Decimal = 100, interval: Duration = .milliseconds(100)) {
        self.defaultPrice = defaultPrice
        self.interval = interval
    }

    public func set(_ symbol: String, _ price: Decimal) {
        state.withLock { $0.prices[Symbol(trusted: symbol)] = price }
    }

    public func setSymbols(_ symbols: Set<Symbol>) async {
        state.withLock { $0.symbols = symbols }
    }

    public func status() -> FeedStatus { state.withLock { $0.status } }

    public func run(sink: any MarketEventSink) async throws {
        while !Task.isCancelled {
            let now = Date()
            let events = state.withLock { state -> [MarketEvent] in
                state.status.state = .connected
                state.status.lastMessageAt = now
                state.status.messages += state.symbols.count
                return state.symbols.sorted().flatMap { symbol -> [MarketEvent] in
                    let price = state.prices[symbol] ?? defaultPrice
                    let cent = Decimal(string: "0.01")!
                    return [
                        .quote(BidAsk(symbol: symbol, bid: price - cent, bidSize: 100, ask: price + cent, askSize: 100, time: now)),
                        .trade(Trade(symbol: symbol, price: price, size: 100, time: now)),
                    ]
                }
            }
            if !events.isEmpty { sink.receive(events) }
            try? await Task.sleep(for: interval)
        }
    }
}
