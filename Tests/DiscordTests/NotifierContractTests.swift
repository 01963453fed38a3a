import Discord
import Foundation
import Logging
import Testing
import TestSupport
import TradingDomain
import TradingEngine
import TradingEngineTesting

/// One contract for every `Notifier`, run against the Discord notifier pointed at the loopback
/// `DiscordFake` (Discord's wire format, https://discord.com/developers/docs/resources/webhook#execute-webhook)
/// and against the in-memory `RecordingNotifier`. The outbox relies on exactly this.
@Suite("Notifier contract", .serialized)
struct NotifierContractTests {
    /// What the channel is made to answer to the next delivery.
    enum Answer {
        case accept
        case rateLimited(seconds: Double)
        case serverError
        case refuse
        case goneUnknown
        case goneRevoked
    }

    /// What one attempt carried, as the receiving side saw it.
    struct Received {
        var title: String?
        var fields: [String: String]
    }

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case discord, recording
        var testDescription: String { rawValue }
    }

    /// A notifier and a way to script and observe its far side.
    protocol Harness {
        var notifier: any Notifier { get }
        func script(_ answer: Answer)
        /// Every attempt that reached the far side, in order.
        func attempts() throws -> [Received]
        func stop() async
    }

    final class DiscordHarness: Harness {
        let fake = DiscordFake()
        let notifier: any Notifier

        init() async throws {
            try await fake.start()
            let client = DiscordWebhookClient(apiBase: fake.baseURL, logger: Logger(label: "test.discord"))
            notifier = DiscordNotifier(sender: client, destination: { (DiscordFake.discordURL, "Trading Bot") })
        }

        func script(_ answer: Answer) {
            switch answer {
            case .accept: fake.enqueue(.noContent)
            case .rateLimited(let seconds): fake.enqueue(.rateLimited(retryAfter: seconds, global: false))
            case .serverError: fake.enqueue(.serverError(503))
            case .refuse: fake.enqueue(.badRequestV8)
            case .goneUnknown: fake.enqueue(.unknownWebhook)
            case .goneRevoked: fake.enqueue(.invalidToken)
            }
        }

        func attempts() throws -> [Received] {
            try fake.executions.map { request in
                let embed = (try request.json()["embeds"] as? [[String: Any]])?.first ?? [:]
                let fields = (embed["fields"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                    if let name = $1["name"] as? String { $0[name] = $1["value"] as? String }
                }
                return Received(title: embed["title"] as? String, fields: fields)
            }
        }

        func stop() async { await fake.stop() }
    }

    final class RecordingHarness: Harness {
        let recorder = RecordingNotifier()
        var notifier: any Notifier { recorder }

        func script(_ answer: Answer) {
            switch answer {
            case .accept: recorder.enqueue(.delivered)
            case .rateLimited(let seconds):
                recorder.enqueue(.retry(after: .milliseconds(Int(seconds * 1000)), reason: "rate limited; retry after \(seconds) s"))
            case .serverError: recorder.enqueue(.retry(after: nil, reason: "HTTP 503: Service Unavailable"))
            case .refuse: recorder.enqueue(.rejected("content: Must be 2000 or fewer in length."))
            case .goneUnknown: recorder.enqueue(.gone("HTTP 404, code 10015: Unknown Webhook"))
            case .goneRevoked: recorder.enqueue(.gone("HTTP 401, code 50027: Invalid Webhook Token"))
            }
        }

        func attempts() -> [Received] {
            recorder.attempts.map { notification in
                var fields = [String: String]()
                if let symbol = notification.symbol { fields["Symbol"] = symbol }
                for detail in notification.details { fields[detail.name] = detail.value }
                return Received(title: notification.title, fields: fields)
            }
        }

        func stop() async {}
    }

    static func harness(_ kind: Kind) async throws -> any Harness {
        switch kind {
        case .discord: try await DiscordHarness()
        case .recording: RecordingHarness()
        }
    }

    static func withHarness(_ kind: Kind, _ body: (any Harness) async throws -> Void) async throws {
        let harness = try await harness(kind)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    static let notification = NotificationMessage.risk(
        title: "Risk limit breached: max daily loss", reason: "day P&L -12 is below -10", limit: 10, value: -12,
        symbol: "AAPL", time: Date(timeIntervalSince1970: 1_795_707_065), note: "Trading is now halted.")

    @Test("a delivered message is received exactly once with its title and fields", arguments: Kind.allCases)
    func deliveredOnce(kind: Kind) async throws {
        try await Self.withHarness(kind) { harness in
            harness.script(.accept)
            #expect(await harness.notifier.deliver(Self.notification) == .delivered)
            let attempts = try harness.attempts()
            #expect(attempts.count == 1)
            #expect(attempts.first?.title == "Risk limit breached: max daily loss")
            #expect(attempts.first?.fields["Symbol"] == "AAPL")
            #expect(attempts.first?.fields["Reason"] == "day P&L -12 is below -10")
            #expect(attempts.first?.fields["Limit"] == "10" && attempts.first?.fields["Value"] == "-12")
        }
    }

    @Test("a rate limit is .retry with the wait the channel gave, sent once", arguments: Kind.allCases)
    func rateLimited(kind: Kind) async throws {
        try await Self.withHarness(kind) { harness in
            harness.script(.rateLimited(seconds: 1.5))
            let outcome = await harness.notifier.deliver(Self.notification)
            guard case .retry(let after, let reason) = outcome else {
                Issue.record("expected .retry, got \(outcome)")
                return
            }
            #expect(after == .milliseconds(1500))
            #expect(!reason.isEmpty)
            let attempts = try harness.attempts().count
            #expect(attempts == 1, "no retry inside deliver")
        }
    }

    @Test("a transient failure is .retry without a wait (the outbox backs off), sent once", arguments: Kind.allCases)
    func transient(kind: Kind) async throws {
        try await Self.withHarness(kind) { harness in
            harness.script(.serverError)
            let outcome = await harness.notifier.deliver(Self.notification)
            guard case .retry(nil, let reason) = outcome else {
                Issue.record("expected .retry(after: nil), got \(outcome)")
                return
            }
            #expect(reason.contains("503"), "\(reason)")
            let attempts = try harness.attempts().count
            #expect(attempts == 1, "no retry inside deliver")
        }
    }

    @Test("a permanent refusal is .rejected with the channel's reason, sent once", arguments: Kind.allCases)
    func rejected(kind: Kind) async throws {
        try await Self.withHarness(kind) { harness in
            harness.script(.refuse)
            let outcome = await harness.notifier.deliver(Self.notification)
            guard case .rejected(let reason) = outcome else {
                Issue.record("expected .rejected, got \(outcome)")
                return
            }
            #expect(reason.contains("content: Must be 2000 or fewer in length."), "\(reason)")
            let attempts = try harness.attempts().count
            #expect(attempts == 1, "no retry inside deliver")
        }
    }

    @Test("a deleted channel or revoked credentials are .gone, sent once each", arguments: Kind.allCases)
    func gone(kind: Kind) async throws {
        try await Self.withHarness(kind) { harness in
            for (answer, code) in [(Answer.goneUnknown, "10015"), (.goneRevoked, "50027")] {
                harness.script(answer)
                let outcome = await harness.notifier.deliver(Self.notification)
                guard case .gone(let reason) = outcome else {
                    Issue.record("expected .gone, got \(outcome)")
                    continue
                }
                #expect(reason.contains(code), "\(reason)")
            }
            let attempts = try harness.attempts().count
            #expect(attempts == 2, "no retry inside deliver")
        }
    }

    @Test("the receipt carries the same outcome as deliver", arguments: Kind.allCases)
    func receipt(kind: Kind) async throws {
        try await Self.withHarness(kind) { harness in
            harness.script(.goneUnknown)
            harness.script(.accept)
            let gone = await harness.notifier.deliverWithReceipt(Self.notification)
            if case .gone = gone.outcome {} else { Issue.record("expected .gone, got \(gone.outcome)") }
            #expect(await harness.notifier.deliverWithReceipt(Self.notification).outcome == .delivered)
            let attempts = try harness.attempts().count
            #expect(attempts == 2)
        }
    }
}
