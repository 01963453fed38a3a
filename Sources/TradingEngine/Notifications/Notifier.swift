import Foundation
import TradingDomain

/// An outside channel that notifications leave through (Discord today; a plain webhook or Telegram
/// later). The adapter owns its wire format: payload building, limits, status codes, credentials.
/// The outbox (`OutboxDispatcher`) owns the queue, the order, retries and dead letters, and decides
/// only from the `DeliveryOutcome`.
///
/// `deliver` makes one attempt and never retries or waits on its own: a transient failure is
/// reported as `.retry` and the outbox schedules the next attempt.
public protocol Notifier: Sendable {
    /// The outbox channel it serves (`discord`), as stored in `OutboxMessage.channel`.
    var channel: String { get }
    /// Sends one notification, once.
    func deliver(_ notification: NotificationMessage) async -> DeliveryOutcome
    /// The same single attempt as `deliver`, with what the channel answered for diagnostics
    /// (`GET /api/v1/diag/outbox`, `POST /api/v1/settings/discord/test`). The default has no details.
    func deliverWithReceipt(_ notification: NotificationMessage) async -> DeliveryReceipt
}

extension Notifier {
    public func deliverWithReceipt(_ notification: NotificationMessage) async -> DeliveryReceipt {
        DeliveryReceipt(outcome: await deliver(notification))
    }
}

/// What one delivery attempt means for the outbox.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The channel accepted it.
    case delivered
    /// Transient (5xx, timeouts, a rate limit): send it again later, after `after` when the channel
    /// said how long to wait (a 429's wait), otherwise after the outbox's backoff.
    case retry(after: Duration?, reason: String)
    /// This message can never be delivered (Discord 400): dead letter with the reason.
    case rejected(String)
    /// The channel is gone or its credentials were revoked (Discord 404 10015, 401 50027): switch
    /// forwarding off and drop what is queued.
    case gone(String)
}

/// One attempt's outcome with the channel's own details, for diagnostics only.
public struct DeliveryReceipt: Sendable, Hashable {
    public var outcome: DeliveryOutcome
    /// The channel's status code (the HTTP status for webhooks); nil when no answer came.
    public var statusCode: Int?
    /// The id the channel gave the delivered message, when it returned one.
    public var messageID: String?

    public init(outcome: DeliveryOutcome, statusCode: Int? = nil, messageID: String? = nil) {
        self.outcome = outcome
        self.statusCode = statusCode
        self.messageID = messageID
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var secondsValue: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

/// Whether the user forwards to a channel, and switching it off when the channel is gone. The
/// outbox checks it before each pass and abandons what is queued while it is off.
public struct ForwardingSwitch: Sendable {
    public var isOn: @Sendable () async throws -> Bool
    /// Switches forwarding off and records why (shown to the user).
    public var switchOff: @Sendable (_ reason: String) async throws -> Void

    public init(
        isOn: @escaping @Sendable () async throws -> Bool,
        switchOff: @escaping @Sendable (_ reason: String) async throws -> Void
    ) {
        self.isOn = isOn
        self.switchOff = switchOff
    }

    /// Discord forwarding: `discord.enabled` with a webhook URL set; off sets `disabled_reason`.
    public static func discord(_ settings: SettingsService) -> ForwardingSwitch {
        ForwardingSwitch(
            isOn: {
                let discord = try await settings.current().discord
                return discord.enabled && discord.webhookURL != nil
            },
            switchOff: { reason in
                _ = try await settings.update { settings in
                    settings.discord.enabled = false
                    settings.discord.disabledReason = reason
                }
            })
    }
}

/// The stored form of a queued notification (`OutboxMessage.payload`): JSON
/// `{"version": 2, "notification": {…}}`. Version 1 is the bare `NotificationMessage` JSON that rows
/// queued before the notifier port hold (then named `DiscordNotification`); both decode.
public enum OutboxPayload {
    public static let version = 2

    struct Envelope: Codable {
        var version: Int
        var notification: NotificationMessage
    }

    struct VersionProbe: Decodable {
        var version: Int?
    }

    public struct UnsupportedVersion: Error, Hashable {
        public var version: Int
    }

    public static func encode(_ notification: NotificationMessage) throws -> Data {
        try JSONEncoder().encode(Envelope(version: version, notification: notification))
    }

    public static func decode(_ data: Data) throws -> NotificationMessage {
        let decoder = JSONDecoder()
        switch try decoder.decode(VersionProbe.self, from: data).version {
        case nil, 1?: return try decoder.decode(NotificationMessage.self, from: data)
        case version?: return try decoder.decode(Envelope.self, from: data).notification
        case let other?: throw UnsupportedVersion(version: other)
        }
    }
}

extension OutboxMessage {
    /// A notification queued for Discord under `dedupeKey`, due now.
    public static func discord(_ notification: NotificationMessage, dedupeKey: String, now: Date) -> OutboxMessage? {
        var notification = notification
        notification.dedupeKey = dedupeKey
        guard let payload = try? OutboxPayload.encode(notification) else { return nil }
        return OutboxMessage(channel: "discord", dedupeKey: dedupeKey, payload: payload, nextAttemptAt: now, createdAt: now)
    }

    /// The Discord message queued for an alert firing, if the settings forward its type.
    public static func discord(for firing: AlertFiring, settings: DiscordSettings?, now: Date) -> OutboxMessage? {
        guard let settings, settings.forwards(firing.type.rawValue) else { return nil }
        return discord(
            .alert(firing), dedupeKey: "alert:\(firing.alertID.uuidString):\(firing.sequence)", now: now)
    }
}
