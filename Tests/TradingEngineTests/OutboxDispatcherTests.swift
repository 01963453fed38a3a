import Foundation
import Logging
import Synchronization
import Testing
import TradingDomain
import TradingEngine
import TradingEngineTesting

/// The outbox driven through the `Notifier` port alone: an in-memory queue, a `RecordingNotifier`
/// and a clock that moves only when told to (no HTTP, no database, no waiting).
@Suite("Outbox dispatcher")
struct OutboxDispatcherTests {
    /// Shared state the forwarding switch and the bus subscriber write into.
    final class Observed: Sendable {
        let forwardingOn = Mutex(true)
        let switchedOff = Mutex<[String]>([])
        let events = Mutex<[ServerEvent]>([])
    }

    final class Rig: Sendable {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_707_065))
        let repository = InMemoryOutboxRepository()
        let notifier = RecordingNotifier()
        let bus = EventBus()
        let observed = Observed()
        let dispatcher: OutboxDispatcher

        init(maxAttempts: Int = 12) {
            let observed = self.observed
            let forwarding = ForwardingSwitch(
                isOn: { observed.forwardingOn.withLock { $0 } },
                switchOff: { reason in
                    observed.forwardingOn.withLock { $0 = false }
                    observed.switchedOff.withLock { $0.append(reason) }
                })
            // random 0 with equal jitter: the wait before retry n is exactly half its ceiling.
            dispatcher = OutboxDispatcher(
                repository: repository, notifier: notifier, forwarding: forwarding, bus: bus, clock: clock,
                logger: Logger(label: "test.outbox"), backoff: Backoff(initial: .seconds(2), maximum: .seconds(600)), maxAttempts: maxAttempts,
                random: { 0 })
            bus.subscribe { event in observed.events.withLock { $0.append(event) } }
        }

        /// Queues a risk notification under `key`, created `offset` seconds from now.
        @discardableResult
        func queue(_ key: String, title: String? = nil, offset: TimeInterval = 0) async throws -> OutboxMessage {
            let now = clock.now().addingTimeInterval(offset)
            let notification = NotificationMessage.risk(
                title: title ?? "breach \(key)", reason: "reason \(key)", limit: 10, value: 12, time: now)
            let message = try #require(OutboxMessage.discord(notification, dedupeKey: key, now: now))
            #expect(try await repository.enqueue(message))
            return message
        }

        func status(_ key: String) async -> OutboxMessage? { await repository.message(key) }
    }

    @Test("a delivered message is sent once, with its dedupe key, and is not sent again")
    func deliveredOnce() async throws {
        let rig = Rig()
        try await rig.queue("risk:1")
        await rig.dispatcher.deliverDue()
        await rig.dispatcher.deliverDue()
        rig.clock.advance(by: 60)
        await rig.dispatcher.deliverDue()
        #expect(rig.notifier.attempts.map(\.dedupeKey) == ["risk:1"])
        #expect(rig.notifier.delivered.first?.title == "breach risk:1")
        let stored = try #require(await rig.status("risk:1"))
        #expect(stored.status == .delivered && stored.attempts == 1 && stored.deliveredAt == rig.clock.now().addingTimeInterval(-60))
        #expect(rig.dispatcher.snapshot.sent == 1)
    }

    @Test("a retry with a wait holds the queue until then, without counting an attempt")
    func retryAfterWait() async throws {
        let rig = Rig()
        try await rig.queue("risk:1")
        try await rig.queue("risk:2", offset: 1)
        rig.clock.advance(by: 1)
        rig.notifier.enqueue(.retry(after: .seconds(30), reason: "rate limited; retry after 30 s"))
        await rig.dispatcher.deliverDue()
        let waiting = try #require(await rig.status("risk:1"))
        #expect(waiting.status == .pending && waiting.attempts == 0)
        #expect(waiting.nextAttemptAt == rig.clock.now().addingTimeInterval(30))
        #expect(waiting.lastError == "rate limited; retry after 30 s")
        rig.clock.advance(by: 29)
        await rig.dispatcher.deliverDue()
        #expect(rig.notifier.attempts.count == 1, "nothing is sent while the channel asked to wait, not even the next message")
        rig.clock.advance(by: 1)
        await rig.dispatcher.deliverDue()
        #expect(rig.notifier.delivered.map(\.dedupeKey) == ["risk:1", "risk:2"], "delivered in order after the wait")
    }

    @Test("a transient failure backs off exponentially and gives up after the attempts limit")
    func backoffAndDeadAfterLimit() async throws {
        let rig = Rig(maxAttempts: 3)
        try await rig.queue("risk:1")
        rig.notifier.defaultOutcome = .retry(after: nil, reason: "HTTP 503: unavailable")
        await rig.dispatcher.deliverDue()
        var stored = try #require(await rig.status("risk:1"))
        #expect(stored.status == .pending && stored.attempts == 1)
        #expect(stored.nextAttemptAt == rig.clock.now().addingTimeInterval(1), "attempt 1: ceiling 2 s, equal jitter at 0 → 1 s")
        rig.clock.advance(by: 1)
        await rig.dispatcher.deliverDue()
        stored = try #require(await rig.status("risk:1"))
        #expect(stored.attempts == 2 && stored.nextAttemptAt == rig.clock.now().addingTimeInterval(2))
        rig.clock.advance(by: 2)
        await rig.dispatcher.deliverDue()
        stored = try #require(await rig.status("risk:1"))
        #expect(stored.status == .dead && stored.attempts == 3)
        #expect(stored.lastError == "gave up after 3 attempts: HTTP 503: unavailable")
        #expect(rig.notifier.attempts.count == 3)
    }

    @Test("a rejected message goes to the dead letters with the reason; the next one still goes out")
    func rejectedIsDeadLettered() async throws {
        let rig = Rig()
        try await rig.queue("risk:1")
        try await rig.queue("risk:2", offset: 0.001)
        rig.clock.advance(by: 1)
        rig.notifier.enqueue(.rejected("Discord refused the message: content: Must be 2000 or fewer in length."))
        await rig.dispatcher.deliverDue()
        let dead = try #require(await rig.status("risk:1"))
        #expect(dead.status == .dead && dead.attempts == 1)
        #expect(dead.lastError == "Discord refused the message: content: Must be 2000 or fewer in length.")
        #expect(await rig.status("risk:2")?.status == .delivered)
        #expect(rig.observed.forwardingOn.withLock { $0 }, "a refused message does not switch forwarding off")
    }

    @Test("a gone channel switches forwarding off with the reason, abandons the queue and says so")
    func goneSwitchesOff() async throws {
        let rig = Rig()
        try await rig.queue("risk:1")
        try await rig.queue("risk:2", offset: 0.001)
        rig.clock.advance(by: 1)
        rig.notifier.enqueue(.gone("Discord says the webhook is gone (HTTP 404, code 10015: Unknown Webhook)"))
        await rig.dispatcher.deliverDue()
        #expect(rig.notifier.attempts.count == 1)
        let reasons = rig.observed.switchedOff.withLock { $0 }
        #expect(reasons.count == 1)
        #expect(reasons.first?.hasPrefix("Discord says the webhook is gone (HTTP 404, code 10015: Unknown Webhook); forwarding was switched off at ") == true)
        #expect(await rig.status("risk:1")?.status == .abandoned)
        #expect(await rig.status("risk:2")?.status == .abandoned)
        let notices = rig.observed.events.withLock { $0 }.compactMap { event -> StatusNotice? in
            if case .status(let notice) = event { notice } else { nil }
        }
        #expect(notices.map(\.kind) == ["discord"] && notices.first?.message == reasons.first)

        // Switched off: what is queued later is dropped, not sent.
        try await rig.queue("risk:3")
        rig.clock.advance(by: 600)
        await rig.dispatcher.deliverDue()
        #expect(rig.notifier.attempts.count == 1)
        #expect(await rig.status("risk:3")?.status == .abandoned)
        #expect(await rig.status("risk:3")?.lastError == "Discord forwarding is switched off")
    }

    @Test("a row queued before the notifier port (bare DiscordNotification JSON) is still delivered")
    func legacyRowDelivered() async throws {
        let rig = Rig()
        // The old payload: JSONEncoder's default form of DiscordNotification (dates as seconds since 2001).
        let legacy = #"{"kind":"alert","symbol":"AAPL","type":"price_above","title":"AAPL at or above 190.5","summary":"AAPL traded at 190.52.","threshold":190.5,"level":190.5,"price":190.52,"direction":"up","time":816000000,"details":[]}"#
        let now = rig.clock.now()
        _ = try await rig.repository.enqueue(OutboxMessage(
            channel: "discord", dedupeKey: "alert:old:1", payload: Data(legacy.utf8), nextAttemptAt: now, createdAt: now))
        let unknown = #"{"version":99,"notification":{}}"#
        _ = try await rig.repository.enqueue(OutboxMessage(
            channel: "discord", dedupeKey: "alert:future:1", payload: Data(unknown.utf8), nextAttemptAt: now,
            createdAt: now.addingTimeInterval(0.001)))
        rig.clock.advance(by: 1)
        await rig.dispatcher.deliverDue()
        let sent = try #require(rig.notifier.delivered.first)
        #expect(sent.title == "AAPL at or above 190.5" && sent.symbol == "AAPL" && sent.direction == .up)
        #expect(sent.price == Decimal(string: "190.52") && sent.time == Date(timeIntervalSinceReferenceDate: 816_000_000))
        #expect(sent.dedupeKey == "alert:old:1")
        #expect(await rig.status("alert:old:1")?.status == .delivered)
        let future = try #require(await rig.status("alert:future:1"))
        #expect(future.status == .dead && future.lastError == "the queued notification could not be read")
    }

    @Test("the stored payload is versioned and round-trips every field")
    func payloadRoundTrip() throws {
        let notification = NotificationMessage(
            kind: .alert, symbol: "MSFT", type: "percent_change", title: "MSFT moved +3%", summary: "up", threshold: 3,
            level: Decimal(string: "412.2"), price: Decimal(string: "412.5"), direction: .up,
            time: Date(timeIntervalSince1970: 1_795_707_065), note: "watch",
            details: [.init(name: "Reason", value: "why", inline: false)], dedupeKey: "alert:x:1")
        let data = try OutboxPayload.encode(notification)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["version"] as? Int == OutboxPayload.version)
        #expect(try OutboxPayload.decode(data) == notification)
    }
}
