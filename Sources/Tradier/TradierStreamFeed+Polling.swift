import Foundation
import TradingDomain
import TradingEngine

/// The fallback when Tradier refuses a streaming session for the account ("Streaming is not
/// available for this account", as some sandbox accounts answer; docs/vendors.md §2.8): quotes are
/// polled over REST (`GET /markets/quotes`, one request per 200 symbols) every `pollInterval`
/// and fed to the sink as events, and a session is asked for again after `refusedWait`. While
/// polling, the feed is `connected` with a detail that says so; prices are as fresh as the poll.
extension TradierStreamFeed {
    /// Tradier's reason when a failure to open a session is Tradier refusing streaming for this
    /// account (not a network problem, not a bad token); else nil.
    static func streamingRefusal(_ error: MarketDataError) -> String? {
        guard case .unavailable(let detail) = error, detail.hasPrefix("refused:") else { return nil }
        return detail.dropFirst("refused:".count).trimmingCharacters(in: .whitespaces)
    }

    /// Polls quotes until `duration` has passed on the clock, the symbols are emptied, or the
    /// task is cancelled (then false).
    func pollQuotes(for duration: Duration, refusal: String, sink: any MarketEventSink) async -> Bool {
        let until = clock.now().addingTimeInterval(duration.seconds)
        let every = "polling quotes every \(Int(pollInterval.seconds)) s"
        logger.warning("tradier refused a streaming session; polling quotes", metadata: ["error": .string(refusal)])
        update { $0.state = .connected; $0.detail = "streaming refused (\(refusal)); \(every)" }
        var seen: [Symbol: Date] = [:]
        while clock.now() < until {
            let symbols = state.withLock { $0.desired }.sorted()
            if symbols.isEmpty { return !Task.isCancelled }
            do {
                let snapshots = try await market.snapshots(for: symbols)
                let now = clock.now()
                let events = Self.events(from: symbols.compactMap { snapshots[$0] }, seen: &seen)
                update {
                    $0.lastMessageAt = now
                    $0.messages += 1
                    $0.detail = "streaming refused (\(refusal)); \(every)"
                }
                if !events.isEmpty { sink.receive(events) }
            } catch {
                if Task.isCancelled { return false }
                logger.warning("tradier quote poll failed", metadata: ["error": .string("\(error)")])
                update { $0.detail = "streaming refused (\(refusal)); quote poll failed: \(error)" }
            }
            do { try await clock.sleep(for: pollInterval) } catch { return false }
        }
        return !Task.isCancelled
    }

    /// A polled quote as stream events: the bid/ask, the day's figures, and the last price as a
    /// trade only when its time is newer than the one already delivered (the same print is not
    /// delivered twice; its size is unknown, so it adds no volume — the summary carries the
    /// day's volume).
    static func events(from snapshots: [MarketSnapshot], seen: inout [Symbol: Date]) -> [MarketEvent] {
        var events: [MarketEvent] = []
        for snapshot in snapshots {
            let symbol = snapshot.symbol
            if let bid = snapshot.bid, let ask = snapshot.ask {
                events.append(.quote(BidAsk(symbol: symbol, bid: bid, bidSize: 0, ask: ask, askSize: 0, time: snapshot.updated)))
            }
            events.append(.summary(DaySummary(
                symbol: symbol, open: snapshot.dayOpen, high: snapshot.dayHigh, low: snapshot.dayLow,
                previousClose: snapshot.previousClose, volume: snapshot.dayVolume, time: snapshot.updated)))
            if let last = snapshot.last, let time = snapshot.lastTime, seen[symbol].map({ time > $0 }) ?? true {
                seen[symbol] = time
                events.append(.trade(Trade(symbol: symbol, price: last, size: 0, time: time)))
            }
        }
        return events
    }
}
