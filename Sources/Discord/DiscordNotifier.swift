import Foundation
import Synchronization
import TradingDomain
import TradingEngine

/// The Discord channel of the `Notifier` port: renders a `NotificationMessage` as one embed
/// (`DiscordMessageBuilder`), posts it to the webhook from the settings once, and turns Discord's
/// answer into a `DeliveryOutcome`:
///
/// - 2xx → `.delivered`
/// - 429 with `retry_after` / `Retry-After` → `.retry(after:)` with that wait
///   (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit); 5xx, 408,
///   timeouts and a 429 without a wait → `.retry(after: nil)` (the outbox backs off)
/// - 400/413 (v8 and legacy error bodies) → `.rejected` with Discord's validation messages
/// - 401/403/404 (10015 Unknown Webhook, 50027 Invalid Webhook Token,
///   https://discord.com/developers/docs/topics/opcodes-and-status-codes#json) → `.gone`
///
/// After an answer that empties the route's `X-RateLimit` bucket
/// (https://discord.com/developers/docs/topics/rate-limits#header-format) the next `deliver`
/// before the reset sends nothing and answers `.retry(after:)` with the time left.
public final class DiscordNotifier: Notifier {
    public let channel = "discord"

    /// The webhook URL and username to post with; nil when no webhook is set.
    public typealias Destination = @Sendable () async throws -> (webhookURL: String, username: String?)?

    let sender: any DiscordSender
    let destination: Destination
    let now: @Sendable () -> Date
    private let bucketResetsAt = Mutex<Date?>(nil)

    public init(sender: any DiscordSender, destination: @escaping Destination, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sender = sender
        self.destination = destination
        self.now = now
    }

    /// Posts to the webhook in the Discord settings (`discord.webhook_url`, `discord.username`).
    public convenience init(sender: any DiscordSender, settings: SettingsService, clock: any WallClock) {
        self.init(
            sender: sender,
            destination: {
                let discord = try await settings.current().discord
                return discord.webhookURL.map { ($0, discord.username) }
            },
            now: { clock.now() })
    }

    public func deliver(_ notification: NotificationMessage) async -> DeliveryOutcome {
        await deliverWithReceipt(notification).outcome
    }

    public func deliverWithReceipt(_ notification: NotificationMessage) async -> DeliveryReceipt {
        if let resetsAt = bucketResetsAt.withLock({ $0 }) {
            let left = resetsAt.timeIntervalSince(now())
            if left > 0 {
                return DeliveryReceipt(outcome: .retry(
                    after: .milliseconds(Int((left * 1000).rounded(.up))),
                    reason: "Discord rate-limit bucket empty; retry after \(Self.seconds(left)) s"))
            }
        }
        let target: (webhookURL: String, username: String?)?
        do {
            target = try await destination()
        } catch {
            return DeliveryReceipt(outcome: .retry(after: nil, reason: "the Discord settings could not be read: \(error)"))
        }
        guard let target else { return DeliveryReceipt(outcome: .gone("no Discord webhook URL is set")) }
        let body: Data
        do {
            body = try DiscordMessageBuilder.payload(for: notification, username: target.username).jsonData()
        } catch {
            return DeliveryReceipt(outcome: .rejected("the message could not be encoded for Discord: \(error)"))
        }
        let result = await sender.send(webhookURL: target.webhookURL, body: body)
        if result.rateLimit.remaining == 0, let reset = result.rateLimit.resetAfter {
            let resetsAt = now().addingTimeInterval(reset)
            bucketResetsAt.withLock { $0 = resetsAt }
        }
        return Self.receipt(result)
    }

    /// Discord's classified answer as the channel-agnostic outcome (texts shown to the user).
    public static func receipt(_ result: DiscordSendResult) -> DeliveryReceipt {
        let status = result.status
        let outcome: DeliveryOutcome
        var messageID: String?
        switch result.outcome {
        case .delivered(let id):
            outcome = .delivered
            messageID = id
        case .rateLimited(let retryAfter, let global, _):
            outcome = .retry(
                after: .milliseconds(Int((max(retryAfter, 0) * 1000).rounded(.up))),
                reason: "rate limited by Discord\(global ? " (global)" : ""); retry after \(retryAfter) s")
        case .retry(let reason):
            outcome = .retry(after: nil, reason: reason)
        case .rejected(let reason):
            outcome = .rejected("Discord refused the message: \(reason)")
        case .gone(let code, let detail):
            outcome = .gone("Discord says the webhook is gone (HTTP \(status.map(String.init) ?? "?")"
                + (code.map { ", code \($0)" } ?? "") + ": \(detail))")
        }
        return DeliveryReceipt(outcome: outcome, statusCode: status, messageID: messageID)
    }

    static func seconds(_ value: TimeInterval) -> String {
        String(format: "%.2f", value)
    }
}
