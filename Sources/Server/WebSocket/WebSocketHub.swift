import Foundation
import Logging
import TradingDomain
import TradingEngine

/// Fans server events out to WebSocket clients without letting one client slow the others:
/// publishing only records the event in each subscribed client's mailbox and wakes its writer.
/// Prices are coalesced per symbol (the newest replaces an unsent older one); other events queue
/// up to a bound, and a client past that bound is disconnected.
final class WebSocketHub: Sendable {
    static let topics: Set<String> = ["prices", "alerts", "risk", "orders", "status"]

    let maxQueued: Int
    private let clients = LockedValue<[UUID: Client]>([:])
    private let counters = LockedValue<(connected: Int, dropped: Int, sent: Int)>((0, 0, 0))

    init(bus: EventBus, maxQueued: Int = 1_000) {
        self.maxQueued = maxQueued
        bus.subscribe { [weak self] event in self?.publish(event) }
    }

    /// A connected client: its topics and undelivered events.
    final class Client: Sendable {
        struct Mailbox {
            var topics: Set<String> = []
            var prices: [Symbol: ServerEvent] = [:]
            var priceOrder: [Symbol] = []
            var queue: [ServerEvent] = []
            var overflowed = false
        }

        let id = UUID()
        let mailbox = LockedValue(Mailbox())
        let wake: AsyncStream<Void>
        let wakeContinuation: AsyncStream<Void>.Continuation

        init() {
            (wake, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        }

        /// Takes everything waiting: prices first (oldest symbol first), then the queue.
        func drain() -> (events: [ServerEvent], overflowed: Bool) {
            mailbox.withLock { box in
                let events = box.priceOrder.compactMap { box.prices[$0] } + box.queue
                box.prices.removeAll(keepingCapacity: true)
                box.priceOrder.removeAll(keepingCapacity: true)
                box.queue.removeAll(keepingCapacity: true)
                return (events, box.overflowed)
            }
        }
    }

    func connect() -> Client {
        let client = Client()
        clients.withLock { $0[client.id] = client }
        counters.withLock { $0.connected += 1 }
        return client
    }

    func disconnect(_ client: Client, dropped: Bool) {
        clients.withLock { $0[client.id] = nil }
        client.wakeContinuation.finish()
        if dropped { counters.withLock { $0.dropped += 1 } }
    }

    /// Sets the client's topics; returns the unknown ones.
    func subscribe(_ client: Client, topics: [String], on: Bool) -> [String] {
        let known = topics.filter { Self.topics.contains($0) }
        client.mailbox.withLock { box in
            if on { box.topics.formUnion(known) } else { box.topics.subtract(known) }
        }
        return topics.filter { !Self.topics.contains($0) }
    }

    func publish(_ event: ServerEvent) {
        let topic = event.topic
        let targets = clients.withLock { Array($0.values) }
        for client in targets {
            let accepted = client.mailbox.withLock { box -> Bool in
                guard box.topics.contains(topic) || topic == "status" else { return false }
                if case .price(let quote, _) = event {
                    if box.prices.updateValue(event, forKey: quote.symbol) == nil { box.priceOrder.append(quote.symbol) }
                } else if box.queue.count < maxQueued {
                    box.queue.append(event)
                } else {
                    box.overflowed = true
                }
                return true
            }
            if accepted { client.wakeContinuation.yield() }
        }
    }

    func recordSent(_ count: Int) {
        counters.withLock { $0.sent += count }
    }

    struct Stats: Sendable {
        var clients: Int
        var connectedTotal: Int
        var dropped: Int
        var framesSent: Int
        var deepestMailbox: Int
    }

    var stats: Stats {
        let current = clients.withLock { Array($0.values) }
        let deepest = current.map { client in client.mailbox.withLock { $0.prices.count + $0.queue.count } }.max() ?? 0
        let totals = counters.withLock { $0 }
        return Stats(clients: current.count, connectedTotal: totals.connected, dropped: totals.dropped, framesSent: totals.sent, deepestMailbox: deepest)
    }
}
