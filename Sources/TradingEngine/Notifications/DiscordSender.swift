import Foundation
import TradingDomain

/// Discord's answer to one webhook call, classified.
public struct DiscordSendResult: Sendable, Hashable {
    /// HTTP status, nil when no answer came (timeout, connection refused).
    public var status: Int?
    public var outcome: DiscordDeliveryOutcome
    public var rateLimit: DiscordRateLimitHeaders

    public init(status: Int?, outcome: DiscordDeliveryOutcome, rateLimit: DiscordRateLimitHeaders) {
        self.status = status
        self.outcome = outcome
        self.rateLimit = rateLimit
    }
}

/// Posts one message to a Discord webhook (the adapter in the `Discord` target).
public protocol DiscordSender: Sendable {
    /// `webhookURL` is a validated Discord webhook URL; `body` the JSON message.
    func send(webhookURL: String, body: Data) async -> DiscordSendResult
}

extension OutboxMessage {
    /// A Discord notification queued under `dedupeKey`, due now.
    public static func discord(_ notification: DiscordNotification, dedupeKey: String, now: Date) -> OutboxMessage? {
        guard let payload = try? JSONEncoder().encode(notification) else { return nil }
        return OutboxMessage(channel: "discord", dedupeKey: dedupeKey, payload: payload, nextAttemptAt: now, createdAt: now)
    }

    /// The Discord message queued for an alert firing, if the settings forward its type.
    public static func discord(for firing: AlertFiring, settings: DiscordSettings?, now: Date) -> OutboxMessage? {
        guard let settings, settings.forwards(firing.type.rawValue) else { return nil }
        return discord(
            .alert(firing), dedupeKey: "alert:\(firing.alertID.uuidString):\(firing.sequence)", now: now)
    }
}
