import Foundation
import Logging
import Synchronization
import TradingDomain
import TradingEngine

/// Fans server events out to WebSocket clients without letting one client slow the others.
/// Prices go through the shared `PriceBoard` (O(1) per tick, latest wins per client); other events
/// are queued per client up to a bound, and a client past that bound is disconnected. Publishing
/// never waits: it records, then wakes each subscribed writer that is not already awake.
package final class WebSocketHub: Sendable {
    static let topics: Set<String> = ["prices", "alerts", "risk", "orders", "status"]

    let maxQueued: Int
    let board = PriceBoard()
    private let clients = Mutex<[UUID: Client]>([:])
    private let counters = Mutex<(connected: Int, dropped: Int, sent: Int)>((0, 0, 0))

    package init(bus: EventBus, maxQueued: Int = 1_000) {
        self.maxQueued = maxQueued
        bus.subscribe { [weak self] event in self?.publish(event) }
    }

    /// A connected client: its topics, its place on the price board and its queue of other events.
    package final class Client: Sendable {
        struct Mailbox {
            var topics: Set<String> = []
            var priceSequence: UInt64 = 0
            /// Frames to send before anything else (e.g. the current quotes on subscribe).
            var immediate: [String] = []
            var queue: [ServerEvent] = []
            var overflowed = false
        }

        let id = UUID()
        let mailbox = Shared(Mailbox())
        let wakePending = Atomic<Bool>(false)
        let wake: AsyncStream<Void>
        let wakeContinuation: AsyncStream<Void>.Continuation

        init() {
            (wake, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        }

        func signal() {
            if !wakePending.exchange(true, ordering: .acquiringAndReleasing) { wakeContinuation.yield() }
        }

        var wantsPrices: Bool { mailbox.withLock { $0.topics.contains("prices") } }
    }

    package func connect() -> Client {
        let client = Client()
        client.mailbox.withLock { $0.priceSequence = board.sequence }
        clients.withLock { $0[client.id] = client }
        counters.withLock { $0.connected += 1 }
        return client
    }

    func disconnect(_ client: Client, dropped: Bool) {
        clients.withLock { $0[client.id] = nil }
        client.wakeContinuation.finish()
        if dropped { counters.withLock { $0.dropped += 1 } }
    }

    /// Sets the client's topics; returns the unknown ones. Subscribing to prices starts the
    /// client at the board's current position (what is already known is sent by the caller).
    package func subscribe(_ client: Client, topics: [String], on: Bool) -> [String] {
        let known = topics.filter { Self.topics.contains($0) }
        let position = board.sequence
        client.mailbox.withLock { box in
            if on {
                if known.contains("prices") && !box.topics.contains("prices") { box.priceSequence = position }
                box.topics.formUnion(known)
            } else {
                box.topics.subtract(known)
            }
        }
        return topics.filter { !Self.topics.contains($0) }
    }

    /// Most price frames one snapshot holds for a client (the rest come with their next tick).
    static let maxSnapshotSymbols = 500

    /// Sets the frames to go out first: the snapshot of current quotes on subscribe. A newer snapshot
    /// replaces one not sent yet, and it holds at most `maxSnapshotSymbols` frames, so repeated
    /// subscribes from a client that does not read cannot grow its mailbox. Returns how many frames
    /// were left out.
    @discardableResult
    func sendFirst(_ frames: [String], to client: Client) -> Int {
        let kept = Array(frames.prefix(Self.maxSnapshotSymbols))
        client.mailbox.withLock { $0.immediate = kept }
        client.signal()
        return frames.count - kept.count
    }

    /// Frames waiting to go out first (tests and diagnostics).
    func pendingSnapshot(_ client: Client) -> Int {
        client.mailbox.withLock { $0.immediate.count }
    }

    func publish(_ event: ServerEvent) {
        let targets = clients.withLock { Array($0.values) }
        if case .prices(let quotes) = event {
            board.update(quotes)
            for client in targets where client.wantsPrices { client.signal() }
            return
        }
        let topic = event.topic
        for client in targets {
            let accepted = client.mailbox.withLock { box -> Bool in
                guard box.topics.contains(topic) || topic == "status" else { return false }
                if box.queue.count < maxQueued { box.queue.append(event) } else { box.overflowed = true }
                return true
            }
            if accepted { client.signal() }
        }
    }

    /// Everything waiting for the client: first frames, changed prices (newest only), then queued
    /// events. Resets the wake flag first, so a publish during the drain wakes the writer again.
    func drain(_ client: Client, now: Date) -> (frames: [String], overflowed: Bool) {
        client.wakePending.store(false, ordering: .releasing)
        let (immediate, queue, overflowed, from, wantsPrices) = client.mailbox.withLock { box in
            defer {
                box.immediate.removeAll(keepingCapacity: true)
                box.queue.removeAll(keepingCapacity: true)
            }
            return (box.immediate, box.queue, box.overflowed, box.priceSequence, box.topics.contains("prices"))
        }
        var frames = immediate
        if wantsPrices {
            let (prices, reached) = board.frames(after: from)
            frames += prices
            client.mailbox.withLock { $0.priceSequence = max($0.priceSequence, reached) }
        }
        frames += queue.map { EventFrames.frame(for: $0, now: now) }
        return (frames, overflowed)
    }

    func recordSent(_ count: Int) {
        counters.withLock { $0.sent += count }
    }

    struct Stats: Sendable {
        var clients: Int
        var connectedTotal: Int
        var dropped: Int
        var framesSent: Int
        var deepestQueue: Int
    }

    var stats: Stats {
        let current = clients.withLock { Array($0.values) }
        let deepest = current.map { client in client.mailbox.withLock { $0.queue.count } }.max() ?? 0
        let totals = counters.withLock { $0 }
        return Stats(clients: current.count, connectedTotal: totals.connected, dropped: totals.dropped, framesSent: totals.sent, deepestQueue: deepest)
    }
}
