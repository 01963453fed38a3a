import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// `POST /api/v1/settings/discord/test` (send a test message now, report Discord's answer) and
/// `GET /api/v1/diag/outbox` (backlog, failures, dead letters).
struct NotificationsController {
    let settings: SettingsService
    let outbox: any OutboxRepository
    let dispatcher: OutboxDispatcher
    /// The Discord notifier (the same one the outbox delivers through).
    let notifier: any Notifier
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("settings/discord/test") { _, _ in
            let discord = try await settings.current().discord
            guard discord.webhookURL != nil else {
                throw Problem(.conflict, code: "discord_not_configured",
                              detail: "set discord.webhook_url in the settings first")
            }
            let receipt = await notifier.deliverWithReceipt(.test(at: clock.now()))
            return JSONResponse(DiscordTestDTO(receipt))
        }
        group.get("diag/outbox") { _, _ in
            let stats = try await outbox.stats(channel: dispatcher.channel, problemLimit: 20)
            let discord = try await settings.current().discord
            return JSONResponse(OutboxDiagnostics(stats, channel: dispatcher.channel, dispatcher: dispatcher.snapshot, discord: discord, now: clock.now()))
        }
    }
}

struct DiscordTestDTO: Encodable, Sendable {
    var delivered: Bool
    /// `delivered`, `rate_limited`, `gone`, `rejected` or `retry`.
    var outcome: String
    var http_status: Int?
    var detail: String
    var message_id: String?

    init(_ receipt: DeliveryReceipt) {
        http_status = receipt.statusCode
        switch receipt.outcome {
        case .delivered:
            (delivered, outcome, detail, message_id) = (true, "delivered", "Discord accepted the test message", receipt.messageID)
        case .retry(let after?, _):
            (delivered, outcome, detail) = (false, "rate_limited", "Discord is rate limiting this webhook; try again in \(after.secondsValue) s")
        case .gone(let reason):
            (delivered, outcome, detail) = (false, "gone", reason)
        case .rejected(let reason):
            (delivered, outcome, detail) = (false, "rejected", reason)
        case .retry(nil, let reason):
            (delivered, outcome, detail) = (false, "retry", "Discord could not be reached or failed: \(reason)")
        }
    }
}

struct OutboxDiagnostics: Encodable, Sendable {
    struct Problem: Encodable, Sendable {
        var id: UUID
        var dedupe_key: String
        var status: String
        var attempts: Int
        var next_attempt_at: Date?
        var last_error: String?
        var created_at: Date
        var updated_at: Date
    }

    var channel: String
    var forwarding_enabled: Bool
    var disabled_reason: String?
    var pending: Int
    var delivered: Int
    var dead: Int
    var abandoned: Int
    var oldest_pending_at: Date?
    var oldest_pending_age_s: Double?
    var blocked_until: Date?
    var sent_since_start: Int
    var failures_since_start: Int
    var last_http_status: Int?
    var last_error: String?
    var last_attempt_at: Date?
    var problems: [Problem]

    init(_ stats: OutboxStats, channel: String, dispatcher: OutboxDispatcher.DispatcherState, discord: DiscordSettings, now: Date) {
        self.channel = channel
        forwarding_enabled = discord.enabled
        disabled_reason = discord.disabledReason
        pending = stats.counts[.pending] ?? 0
        delivered = stats.counts[.delivered] ?? 0
        dead = stats.counts[.dead] ?? 0
        abandoned = stats.counts[.abandoned] ?? 0
        oldest_pending_at = stats.oldestPendingAt
        oldest_pending_age_s = stats.oldestPendingAt.map { (now.timeIntervalSince($0) * 10).rounded() / 10 }
        blocked_until = dispatcher.blockedUntil.flatMap { $0 > now ? $0 : nil }
        sent_since_start = dispatcher.sent
        failures_since_start = dispatcher.failures
        last_http_status = dispatcher.lastStatus
        last_error = dispatcher.lastError
        last_attempt_at = dispatcher.lastAttemptAt
        problems = stats.problems.map {
            Problem(id: $0.id, dedupe_key: $0.dedupeKey, status: $0.status.rawValue, attempts: $0.attempts,
                    next_attempt_at: $0.status == .pending ? $0.nextAttemptAt : nil, last_error: $0.lastError,
                    created_at: $0.createdAt, updated_at: $0.updatedAt)
        }
    }
}
