import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TradingDomain
import Synchronization

/// Delivers one channel's outbox through its `Notifier`: oldest first, one message at a time, with
/// exponential backoff and jitter on transient failures, waiting out the waits the channel asks for
/// (Discord: 429s and exhausted `X-RateLimit` buckets). A gone channel (Discord: 404 10015 / 401
/// 50027) switches forwarding off, tells the user why (settings and a `status` event) and abandons
/// what is queued; a message the channel rejects (Discord: 400) goes to the dead letters. It decides
/// only from `DeliveryOutcome`; the channel's wire format stays in its adapter.
///
/// Delivery is at least once: a crash after the channel accepted a message but before it is marked
/// delivered sends it again after the restart (Discord webhooks have no idempotency key). The window
/// is one request.
public final class OutboxDispatcher: Service, Sendable {
    let repository: any OutboxRepository
    let notifier: any Notifier
    let forwarding: ForwardingSwitch
    let bus: EventBus
    let clock: any WallClock
    let logger: Logger
    let backoff: Backoff
    let maxAttempts: Int
    let random: @Sendable () -> Double
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    private let state = Mutex(DispatcherState())

    /// What the dispatcher knows beyond the table, for diagnostics.
    public struct DispatcherState: Sendable, Hashable {
        /// The channel asked us to wait until then (a 429 or an exhausted bucket), or a failed
        /// message holds the queue until its retry.
        public var blockedUntil: Date?
        public var sent = 0
        public var failures = 0
        /// The channel's status code of the last attempt (`DeliveryReceipt.statusCode`).
        public var lastStatus: Int?
        public var lastError: String?
        public var lastAttemptAt: Date?
    }

    public init(
        repository: any OutboxRepository, notifier: any Notifier, forwarding: ForwardingSwitch, bus: EventBus,
        clock: any WallClock, logger: Logger, backoff: Backoff = Backoff(initial: .seconds(2), maximum: .seconds(600)),
        maxAttempts: Int = 12, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.repository = repository
        self.notifier = notifier
        self.forwarding = forwarding
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.random = random
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The outbox channel this dispatcher delivers (its notifier's).
    public var channel: String { notifier.channel }

    public var snapshot: DispatcherState { state.withLock { $0 } }

    /// Looks at the outbox now (a firing was queued).
    public func wake() { wakeContinuation.yield() }

    public func run() async throws {
        let subscription = bus.subscribe { [weak self] event in
            if case .alert = event { self?.wake() }
        }
        defer { bus.unsubscribe(subscription) }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await repeatEvery(.seconds(1), clock: self.clock) { self.wake() }
                }
                group.addTask {
                    for await _ in self.wakeStream {
                        if Task.isCancelled { break }
                        await self.deliverDue()
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        wakeContinuation.finish()
    }

    /// Sends every message that is due, until the channel asks us to wait.
    public func deliverDue() async {
        let now = clock.now()
        if let until = state.withLock({ $0.blockedUntil }), until > now { return }
        do {
            let due = try await repository.due(channel: channel, now: now, limit: 20)
            guard !due.isEmpty else { return }
            guard try await forwarding.isOn() else {
                let count = try await repository.abandonPending(
                    channel: channel, reason: "\(Self.displayName(channel)) forwarding is switched off", now: now)
                logger.info("forwarding off; queued messages dropped", metadata: ["channel": .string(channel), "count": "\(count)"])
                return
            }
            for message in due {
                if Task.isCancelled { return }
                guard try await deliver(message) else { return }
            }
        } catch {
            logger.warning("outbox delivery pass failed", metadata: ["channel": .string(channel), "error": .string("\(error)")])
        }
    }

    /// Sends one message and records the outcome. Returns false when the pass must stop.
    func deliver(_ message: OutboxMessage) async throws -> Bool {
        var message = message
        guard var notification = try? OutboxPayload.decode(message.payload) else {
            message.status = .dead
            message.lastError = "the queued notification could not be read"
            message.updatedAt = clock.now()
            try await repository.update(message)
            return true
        }
        notification.dedupeKey = message.dedupeKey
        let receipt = await notifier.deliverWithReceipt(notification)
        let now = clock.now()
        message.updatedAt = now
        state.withLock {
            $0.lastStatus = receipt.statusCode
            $0.lastAttemptAt = now
        }
        switch receipt.outcome {
        case .delivered:
            message.status = .delivered
            message.deliveredAt = now
            message.attempts += 1
            message.lastError = nil
            try await repository.update(message)
            state.withLock { $0.sent += 1 }
            logger.info("notification delivered", metadata: ["channel": .string(channel), "dedupe_key": .string(message.dedupeKey)])
            return true
        case .retry(let after?, let reason):
            // The channel said how long to wait (a rate limit): not a failed attempt, no backoff.
            let until = now.addingTimeInterval(max(after.secondsValue, 0.05))
            message.nextAttemptAt = until
            message.lastError = reason
            try await repository.update(message)
            state.withLock { $0.blockedUntil = until; $0.failures += 1; $0.lastError = reason }
            logger.warning("channel asked to wait", metadata: ["channel": .string(channel), "retry_after_s": "\(after.secondsValue)"])
            return false
        case .retry(nil, let reason):
            message.attempts += 1
            message.lastError = reason
            if message.attempts >= maxAttempts {
                message.status = .dead
                message.lastError = "gave up after \(message.attempts) attempts: \(reason)"
            } else {
                message.nextAttemptAt = now.addingTimeInterval(backoff.delay(attempt: message.attempts - 1, random: random()))
            }
            try await repository.update(message)
            // Keep the order: later messages wait until this one is retried (or given up).
            let pauseUntil = message.status == .pending ? message.nextAttemptAt : nil
            state.withLock { $0.failures += 1; $0.lastError = reason; $0.blockedUntil = pauseUntil }
            logger.warning("delivery failed; will retry", metadata: [
                "channel": .string(channel), "reason": .string(reason), "attempt": "\(message.attempts)",
            ])
            return false
        case .rejected(let reason):
            message.status = .dead
            message.attempts += 1
            message.lastError = reason
            try await repository.update(message)
            state.withLock { $0.failures += 1; $0.lastError = reason }
            logger.error("message dead-lettered", metadata: ["channel": .string(channel), "reason": .string(reason)])
            return true
        case .gone(let detail):
            let reason = "\(detail); forwarding was switched off at \(ISO8601.format(now)). Set a new webhook URL to resume."
            message.status = .abandoned
            message.lastError = reason
            message.attempts += 1
            try await repository.update(message)
            try await disableForwarding(reason: reason, now: now)
            return false
        }
    }

    func disableForwarding(reason: String, now: Date) async throws {
        try await forwarding.switchOff(reason)
        let dropped = try await repository.abandonPending(channel: channel, reason: reason, now: now)
        state.withLock { $0.failures += 1; $0.lastError = reason }
        logger.error("channel gone; forwarding switched off", metadata: ["channel": .string(channel), "dropped": "\(dropped)"])
        bus.publish(.status(StatusNotice(kind: channel, message: reason)))
    }

    /// `discord` → `Discord`, for messages shown to the user.
    static func displayName(_ channel: String) -> String {
        channel.prefix(1).uppercased() + channel.dropFirst()
    }
}
