import Foundation
import Testing
import TestSupport
import Discord
import TradingDomain

/// The Discord fake answers as the contract says, so clients can be tested against it.
@Suite("Discord fake")
struct DiscordFakeTests {
    static func withFake(_ body: (DiscordFake) async throws -> Void) async throws {
        let fake = DiscordFake()
        try await fake.start()
        do {
            try await body(fake)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    /// One raw request, run on a thread of its own: the fake serves from the Swift concurrency pool
    /// (one thread per core), so a blocking socket read on a pool or Dispatch thread can starve it.
    static func request(_ fake: DiscordFake, _ method: String, _ path: String, body: String? = nil) async throws -> RawHTTPConnection.Response {
        let port = fake.port
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try RawHTTPConnection.request(port: port, method, path, body: body) })
            }.start()
        }
    }

    static func post(_ fake: DiscordFake, _ json: String, path: String? = nil) async throws -> RawHTTPConnection.Response {
        try await request(fake, "POST", path ?? "/api/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)", body: json)
    }

    static func classify(_ response: RawHTTPConnection.Response) -> DiscordDeliveryOutcome {
        DiscordDeliveryOutcome.classify(status: response.status, headers: response.headers, body: response.body)
    }

    @Test("a scripted 429 then the default 204, both recorded in order")
    func rateLimitThenSuccess() async throws {
        try await Self.withFake { fake in
            fake.enqueue(.rateLimited(retryAfter: 1.25, global: false))
            let body = #"{"content":"AAPL at or above 190.5"}"#
            let limited = try await Self.post(fake, body)
            #expect(limited.status == 429)
            #expect(limited.headers["retry-after"] == "2")
            #expect(limited.headers["x-ratelimit-remaining"] == "0" && limited.headers["x-ratelimit-scope"] == "user")
            #expect(limited.headers["x-ratelimit-bucket"] == "abcd1234" && limited.headers["x-ratelimit-global"] == nil)
            #expect(Self.classify(limited) == .rateLimited(retryAfter: 1.25, global: false, scope: "user"))
            let sent = try await Self.post(fake, body)
            #expect(sent.status == 204 && sent.body.isEmpty)
            #expect(Self.classify(sent) == .delivered(messageID: nil))
            #expect(DiscordRateLimitHeaders(headers: sent.headers).remaining == 4)
            let requests = fake.executions
            #expect(requests.count == 2)
            #expect(requests.map(\.path) == Array(repeating: "/api/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)", count: 2))
            #expect(try requests[1].json()["content"] as? String == "AAPL at or above 190.5")
            #expect(requests[0].headers["content-type"] == "application/json")
            #expect(fake.pendingReplies.isEmpty)
        }
    }

    @Test("a built payload is accepted; ?wait=true returns the message with an id")
    func builtPayload() async throws {
        try await Self.withFake { fake in
            let notification = NotificationMessage(
                kind: .alert, symbol: "AAPL", type: "price_above", title: "AAPL at or above 190.5", threshold: Decimal(string: "190.5"),
                price: Decimal(string: "190.52"), direction: .up, time: Date(), note: String(repeating: "@everyone 🚀 ", count: 3000))
            let data = try DiscordMessageBuilder.payload(for: notification, username: "Trading Bot").jsonData()
            let path = "/api/v10/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)?wait=true"
            let response = try await Self.post(fake, String(decoding: data, as: UTF8.self), path: path)
            #expect(response.status == 200)
            guard case .delivered(let id?) = Self.classify(response) else {
                Issue.record("expected a message id, got \(response.status) \(response.text)")
                return
            }
            #expect(!id.isEmpty)
            let message = try response.json()
            #expect((message["embeds"] as? [[String: Any]])?.first?["type"] as? String == "rich")
            #expect(fake.executions.first?.query == "wait=true")
        }
    }

    @Test("deleted webhooks, bad tokens, empty and over-limit bodies get Discord's errors")
    func errors() async throws {
        try await Self.withFake { fake in
            fake.deletedTokens = ["gone-token"]
            let gone = try await Self.post(fake, #"{"content":"x"}"#, path: "/api/webhooks/\(DiscordFake.webhookID)/gone-token")
            #expect(Self.classify(gone) == .gone(code: 10015, message: "Unknown Webhook"))
            fake.enqueue(.invalidToken)
            #expect(Self.classify(try await Self.post(fake, #"{"content":"x"}"#)) == .gone(code: 50027, message: "Invalid Webhook Token"))
            let empty = try await Self.post(fake, #"{"content":"  ","embeds":[]}"#)
            #expect(try empty.status == 400 && empty.json()["code"] as? Int == 50006)
            let long = #"{"content":"\#(String(repeating: "a", count: 2001))"}"#
            #expect(Self.classify(try await Self.post(fake, long)) == .rejected(reason: "content: Must be 2000 or fewer in length."))
            let v8 = try await Self.post(fake, long, path: "/api/v10/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)")
            #expect(try v8.json()["code"] as? Int == 50035)
            #expect(Self.classify(v8) == .rejected(reason: "content: Must be 2000 or fewer in length."))
            let hugeEmbed = #"{"embeds":[{"description":"\#(String(repeating: "d", count: 4097))"}]}"#
            let embedPath = "/api/v10/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)"
            #expect(Self.classify(try await Self.post(fake, hugeEmbed, path: embedPath)) == .rejected(reason: "embeds.0.description: Must be 4096 or fewer in length."))
            #expect(Self.classify(try await Self.post(fake, hugeEmbed)) == .rejected(reason: "embeds.0: is invalid"))
            fake.enqueue(.serverError(502), .badRequestLegacy)
            #expect(Self.classify(try await Self.post(fake, #"{"content":"x"}"#)) == .retry(reason: "HTTP 502: Internal Server Error (code 0)"))
            #expect(Self.classify(try await Self.post(fake, #"{"content":"x"}"#)) == .rejected(reason: "content: Must be 2000 or fewer in length."))
            #expect(fake.executions.count == 9)
        }
    }

    @Test("GET returns the webhook; slow replies wait")
    func getAndSlow() async throws {
        try await Self.withFake { fake in
            let webhook = try await Self.request(fake, "GET", "/api/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)")
            #expect(try webhook.status == 200 && webhook.json()["id"] as? String == DiscordFake.webhookID)
            fake.enqueue(.slow(seconds: 0.3, then: .noContent))
            let started = Date()
            #expect(try await Self.post(fake, #"{"content":"x"}"#).status == 204)
            #expect(Date().timeIntervalSince(started) >= 0.3)
            #expect(fake.requests.map(\.method) == ["GET", "POST"])
        }
    }
}
