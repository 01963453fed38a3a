import Discord
import Foundation
import Logging
import Testing
import TestSupport
import TradingDomain
import TradingEngine
import TradingEngineTesting

/// What only the Discord notifier does beyond the contract: receipts and `X-RateLimit` buckets
/// (https://discord.com/developers/docs/topics/rate-limits#header-format).
@Suite("Discord notifier", .serialized)
struct DiscordNotifierTests {
    static func notifier(_ fake: DiscordFake, clock: ManualClock) -> DiscordNotifier {
        let client = DiscordWebhookClient(apiBase: fake.baseURL, logger: Logger(label: "test.discord"))
        return DiscordNotifier(
            sender: client, destination: { (DiscordFake.discordURL, "Trading Bot") }, now: { clock.now() })
    }

    @Test("the receipt has the HTTP status and the message id from ?wait=true")
    func receipt() async throws {
        let fake = DiscordFake()
        try await fake.start()
        let notifier = Self.notifier(fake, clock: ManualClock(Date(timeIntervalSince1970: 1_795_707_065)))
        let receipt = await notifier.deliverWithReceipt(.test(at: Date(timeIntervalSince1970: 1_795_707_065)))
        #expect(receipt.outcome == .delivered && receipt.statusCode == 200)
        #expect(receipt.messageID?.isEmpty == false)
        #expect(fake.executions.first?.query == "wait=true")
        #expect((try fake.executions.first?.json()["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        await fake.stop()
    }

    @Test("an emptied X-RateLimit bucket: the next deliver sends nothing and asks to wait until the reset")
    func emptyBucket() async throws {
        var settings = DiscordFake.Settings()
        settings.rateLimitRemaining = 0
        let fake = DiscordFake(settings: settings)
        try await fake.start()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_707_065))
        let notifier = Self.notifier(fake, clock: clock)
        let message = NotificationMessage.test(at: clock.now())
        #expect(await notifier.deliver(message) == .delivered)
        let paused = await notifier.deliver(message)
        guard case .retry(let after?, _) = paused else {
            Issue.record("expected .retry(after:), got \(paused)")
            await fake.stop()
            return
        }
        #expect(after == .seconds(1), "the fake's X-RateLimit-Reset-After is 1.000")
        #expect(fake.executions.count == 1, "nothing sent while the bucket is empty")
        clock.advance(by: 1)
        #expect(await notifier.deliver(message) == .delivered)
        #expect(fake.executions.count == 2)
        await fake.stop()
    }

    @Test("no webhook set is .gone without a request")
    func noWebhook() async {
        let client = DiscordWebhookClient(apiBase: "http://127.0.0.1:9", logger: Logger(label: "test.discord"))
        let notifier = DiscordNotifier(sender: client, destination: { nil })
        #expect(await notifier.deliver(.test(at: Date())) == .gone("no Discord webhook URL is set"))
    }
}
