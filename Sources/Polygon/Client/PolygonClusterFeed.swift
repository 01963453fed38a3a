import Foundation
import Logging
import Synchronization
import TradingDomain
import TradingEngine

/// Polygon/Massive streams stocks and options on separate WebSocket clusters (`/stocks`,
/// `/options`), one connection per cluster (docs/vendors.md §1.2, §1.8). This feed splits the
/// wanted symbols between two `PolygonStreamFeed`s: stocks always run; the options connection
/// opens only once an option symbol is wanted (a plan without options never sees a failed login
/// unless the user asks for an option) and then stays up, following the set live.
///
/// Status: the stocks connection's state; messages and the newest message time of both; the
/// options connection's trouble is appended to `detail` (it never takes stocks down).
public final class PolygonClusterFeed: MarketDataFeed, Sendable {
    public let provider = "polygon"
    let stocks: PolygonStreamFeed
    let options: PolygonStreamFeed?
    private let optionsStarted = Mutex(false)
    private let startOptions: AsyncStream<Void>
    private let startOptionsContinuation: AsyncStream<Void>.Continuation

    /// `options` nil: option symbols are not streamed (no options URL could be derived).
    public init(stocks: PolygonStreamFeed, options: PolygonStreamFeed?) {
        self.stocks = stocks
        self.options = options
        (startOptions, startOptionsContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func setSymbols(_ symbols: Set<Symbol>) async {
        let optionSymbols = symbols.filter(\.isOption)
        await stocks.setSymbols(symbols.subtracting(optionSymbols))
        guard let options else { return }
        await options.setSymbols(optionSymbols)
        if !optionSymbols.isEmpty { startOptionsContinuation.yield() }
    }

    public func status() -> FeedStatus {
        var status = stocks.status()
        guard let options, optionsStarted.withLock({ $0 }) else { return status }
        let other = options.status()
        status.messages += other.messages
        if let last = other.lastMessageAt, last > (status.lastMessageAt ?? .distantPast) { status.lastMessageAt = last }
        if other.state != .connected {
            let detail = "options \(other.state.rawValue)" + (other.detail.isEmpty ? "" : ": \(other.detail)")
            status.detail = status.detail.isEmpty ? detail : "\(status.detail); \(detail)"
        }
        return status
    }

    public func run(sink: any MarketEventSink) async throws {
        defer { startOptionsContinuation.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.stocks.run(sink: sink) }
            if let options {
                group.addTask {
                    var iterator = self.startOptions.makeAsyncIterator()
                    guard await iterator.next() != nil, !Task.isCancelled else { return }
                    self.optionsStarted.withLock { $0 = true }
                    try await options.run(sink: sink)
                }
            }
            // Stocks ending (shutdown) ends the options connection too.
            try await group.next()
            group.cancelAll()
        }
    }
}
