import Foundation
import Logging
import ServiceLifecycle
import TradingDomain
import Synchronization

/// Delivers the Discord outbox: oldest first, one message at a time per webhook, with exponential
/// backoff and jitter on transient failures, waiting out 429s and exhausted `X-RateLimit` buckets.
/// A gone webhook (404 10015 / 401 50027) switches forwarding off, tells the user why (settings
/// and a `status` event) and abandons what is queued; a 400 sends the message to the dead letters.
///
/// Delivery is at least once: a crash after Discord accepted a message but before it is marked
/// delivered sends it again after the restart (Discord webhooks have no idempotency key). The window
/// is one HTTP request.
public final class OutboxDispatcher: Service, Sendable {
    public static let channel = "discord"

    let repository: any OutboxRepository
    let settings: SettingsService
    let sender: any DiscordSender
    let bus: EventBus
    let clock: any WallClock
    let logger: Logger
    let backoff: RetryBackoff
    let maxAttempts: Int
    let random: @Sendable () -> Double
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    private let state = Mutex(DispatcherState())

    /// What the dispatcher knows beyond the table, for diagnostics.
    public struct DispatcherState: Sendable, Hashable {
        /// Discord asked us to wait until then (429 or an exhausted bucket).
        public var blockedUntil: Date?
        public var sent = 0
        public var failures = 0
        public var lastStatus: Int?
        public var lastError: String?
        public var lastAttemptAt: Date?
    }

    public init(
        repository: any OutboxRepository, settings: SettingsService, sender: any DiscordSender, bus: EventBus,
        clock: any WallClock, logger: Logger, backoff: RetryBackoff = RetryBackoff(base: 2, cap: 600),
        maxAttempts: Int = 12, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.repository = repository
        self.settings = settings
        self.sender = sender
        self.bus = bus
        self.clock = clock
        self.logger = logger
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.random = random
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

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
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        self.wake()
                    }
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

    /// Sends every message that is due, until Discord asks us to wait.
    func deliverDue() async {
        let now = clock.now()
        if let until = state.withLock({ $0.blockedUntil }), until > now { return }
        do {
            let due = try await repository.due(channel: Self.channel, now: now, limit: 20)
            guard !due.isEmpty else { return }
            let discord = try await settings.current().discord
            guard discord.enabled, let url = discord.webhookURL else {
                let count = try await repository.abandonPending(
                    channel: Self.channel, reason: "Discord forwarding is switched off", now: now)
                logger.info("discord forwarding off; queued messages dropped", metadata: ["count": "\(count)"])
                return
            }
            for message in due {
                if Task.isCancelled { return }
                guard try await deliver(message, to: url, username: discord.username) else { return }
            }
        } catch {
            logger.warning("outbox delivery pass failed", metadata: ["error": .string("\(error)")])
        }
    }

    /// Sends one message and records the outcome. Returns false when the pass must stop.
    func deliver(_ message: OutboxMessage, to url: String, username: String?) async throws -> Bool {
        var message = message
        guard let notification = try? JSONDecoder().decode(DiscordNotification.self, from: message.payload),
              let body = try? DiscordMessageBuilder.payload(for: notification, username: username).jsonData()
        else {
            message.status = .dead
            message.lastError = "the queued notification could not be read"
            message.updatedAt = clock.now()
            try await repository.update(message)
            return true
        }
        let result = await sender.send(webhookURL: url, body: body)
        let now = clock.now()
        message.updatedAt = now
        state.withLock {
            $0.lastStatus = result.status
            $0.lastAttemptAt = now
            if result.rateLimit.remaining == 0, let reset = result.rateLimit.resetAfter {
                $0.blockedUntil = now.addingTimeInterval(reset)
            }
        }
        switch result.outcome {
        case .delivered:
            message.status = .delivered
            message.deliveredAt = now
            message.attempts += 1
            message.lastError = nil
            try await repository.update(message)
            state.withLock { $0.sent += 1 }
            logger.info("discord message delivered", metadata: ["dedupe_key": .string(message.dedupeKey)])
            return true
        case .rateLimited(let retryAfter, let global, _):
            let until = now.addingTimeInterval(max(retryAfter, 0.05))
            message.nextAttemptAt = until
            message.lastError = "rate limited by Discord\(global ? " (global)" : ""); retry after \(retryAfter) s"
            try await repository.update(message)
            state.withLock { $0.blockedUntil = until; $0.failures += 1; $0.lastError = message.lastError }
            logger.warning("discord rate limited", metadata: ["retry_after_s": "\(retryAfter)"])
            return false
        case .gone(let code, let detail):
            let reason = "Discord says the webhook is gone (HTTP \(result.status.map(String.init) ?? "?")"
                + (code.map { ", code \($0)" } ?? "") + ": \(detail)); forwarding was switched off at "
                + ISO8601.format(now) + ". Set a new webhook URL to resume."
            message.status = .abandoned
            message.lastError = reason
            message.attempts += 1
            try await repository.update(message)
            try await disableForwarding(reason: reason, now: now)
            return false
        case .rejected(let reason):
            message.status = .dead
            message.attempts += 1
            message.lastError = "Discord refused the message: \(reason)"
            try await repository.update(message)
            state.withLock { $0.failures += 1; $0.lastError = message.lastError }
            logger.error("discord message dead-lettered", metadata: ["reason": .string(reason)])
            return true
        case .retry(let reason):
            message.attempts += 1
            message.lastError = reason
            if message.attempts >= maxAttempts {
                message.status = .dead
                message.lastError = "gave up after \(message.attempts) attempts: \(reason)"
            } else {
                message.nextAttemptAt = now.addingTimeInterval(backoff.delay(attempt: message.attempts, random: random()))
            }
            try await repository.update(message)
            // Keep the order: later messages wait until this one is retried (or given up).
            let pauseUntil = message.status == .pending ? message.nextAttemptAt : nil
            state.withLock { $0.failures += 1; $0.lastError = reason; $0.blockedUntil = pauseUntil }
            logger.warning("discord delivery failed; will retry", metadata: [
                "reason": .string(reason), "attempt": "\(message.attempts)",
            ])
            return false
        }
    }

    func disableForwarding(reason: String, now: Date) async throws {
        try await settings.update { settings in
            settings.discord.enabled = false
            settings.discord.disabledReason = reason
        }
        let dropped = try await repository.abandonPending(channel: Self.channel, reason: reason, now: now)
        state.withLock { $0.failures += 1; $0.lastError = reason }
        logger.error("discord webhook gone; forwarding switched off", metadata: ["dropped": "\(dropped)"])
        bus.publish(.status(StatusNotice(kind: "discord", message: reason)))
    }
}
