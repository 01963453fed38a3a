import Foundation
import TradingDomain
import TradingEngine
import Synchronization

/// The newest price frame of every symbol, shared by all WebSocket clients.
/// Publishing a tick is O(1) whatever the number of clients: it replaces the symbol's entry and
/// bumps a sequence number. Each client remembers the last sequence it sent and, when its writer
/// runs, takes only the entries changed since — so a slow client skips intermediate prices
/// (latest wins) and never holds up the publisher. A frame is encoded once, on first use, and the
/// same bytes go to every client.
final class PriceBoard: Sendable {
    struct Entry {
        var sequence: UInt64
        var quote: Quote
        var frame: String?
    }

    private struct State {
        var sequence: UInt64 = 0
        var entries: [Symbol: Entry] = [:]
    }

    private let state = Mutex(State())

    /// Records new quotes; returns the new sequence number.
    @discardableResult
    func update(_ quotes: [Quote]) -> UInt64 {
        state.withLock { state in
            for quote in quotes {
                state.sequence += 1
                state.entries[quote.symbol] = Entry(sequence: state.sequence, quote: quote, frame: nil)
            }
            return state.sequence
        }
    }

    var sequence: UInt64 { state.withLock { $0.sequence } }

    /// Frames of every symbol changed after `sequence`, oldest change first, and the sequence they reach.
    func frames(after sequence: UInt64) -> (frames: [String], sequence: UInt64) {
        state.withLock { state in
            guard state.sequence > sequence else { return ([], sequence) }
            var changed: [(UInt64, Symbol)] = []
            for (symbol, entry) in state.entries where entry.sequence > sequence { changed.append((entry.sequence, symbol)) }
            changed.sort { $0.0 < $1.0 }
            var frames: [String] = []
            frames.reserveCapacity(changed.count)
            for (_, symbol) in changed {
                guard var entry = state.entries[symbol] else { continue }
                if entry.frame == nil {
                    entry.frame = EventFrames.priceFrame(entry.quote, stale: false, ts: entry.quote.receivedAt)
                    state.entries[symbol] = entry
                }
                frames.append(entry.frame!)
            }
            return (frames, state.sequence)
        }
    }
}
