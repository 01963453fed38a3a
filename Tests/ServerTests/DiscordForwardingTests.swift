import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// Alert firings forwarded to Discord through the outbox, against the loopback Discord fake.
@Suite("Discord forwarding", .serialized)
struct DiscordForwardingTests {
    /// Settings that forward `types` to the fake's webhook.
    static func enable(_ client: some TestClientProtocol, types: [String], enabled: Bool = true) async throws {
        let list = types.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await client.api(.patch, "/api/v1/settings", json: """
            {"discord":{"webhook_url":"\(DiscordFake.discordURL)","enabled":\(enabled),"alert_types":[\(list)]}}
            """)
        #expect(response.status == .ok, "\(response.text)")
    }


    static func firedCount(_ client: some TestClientProtocol) async throws -> Int {
        try await client.api(.get, "/api/v1/alerts/triggers").value()["items"]?.array?.count ?? 0
    }

    @Test("a firing of an enabled type reaches Discord exactly once, as one embed")
    func forwardedOnce() async throws {
        let fake = DiscordFake()
        try await fake.start()
        try await withApp(configure: { $0.testHooks.discordAPIBase = fake.baseURL }) { client, _ in
            try await Self.enable(client, types: ["price_above"])
            _ = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"MSFT","type":"price_above","threshold":1,"note":"@everyone breakout"}"#)
            #expect(await eventually { fake.executions.count >= 1 })
            try await Task.sleep(for: .seconds(2))
            let executions = fake.executions
            #expect(executions.count == 1)
            let body = try #require(try executions.first?.json())
            let embeds = try #require(body["embeds"] as? [[String: Any]])
            #expect(embeds.count == 1)
            let fields = embeds[0]["fields"] as? [[String: Any]] ?? []
            #expect(fields.contains { $0["value"] as? String == "MSFT" })
            #expect(embeds[0]["description"] as? String ?? "" == "" || (embeds[0]["description"] as? String ?? "").contains("breakout"))
            #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [], "a note can never ping anyone")
            #expect(executions.first?.path == "/api/webhooks/\(DiscordFake.webhookID)/\(DiscordFake.token)")
            let outbox = try await client.api(.get, "/api/v1/diag/outbox").value()
            #expect(outbox["delivered"]?.decimal == 1)
            #expect(outbox["pending"]?.decimal == 0)
        }
        await fake.stop()
    }

    @Test("a type that is not allowed, or forwarding switched off, sends nothing")
    func filtered() async throws {
        let fake = DiscordFake()
        try await fake.start()
        for (types, enabled) in [(["price_below"], true), (["price_above"], false)] {
            try await withApp(configure: { $0.testHooks.discordAPIBase = fake.baseURL }) { client, _ in
                try await Self.enable(client, types: types, enabled: enabled)
                _ = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"MSFT","type":"price_above","threshold":1}"#)
                #expect(try await eventually { try await Self.firedCount(client) == 1 })
                try await Task.sleep(for: .seconds(2))
                #expect(fake.executions.isEmpty, "types \(types), enabled \(enabled)")
                let outbox = try await client.api(.get, "/api/v1/diag/outbox").value()
                #expect(outbox["pending"]?.decimal == 0)
                #expect(outbox["delivered"]?.decimal == 0)
            }
        }
        await fake.stop()
    }

    @Test("a 429 is waited out for retry_after, then the message is delivered once")
    func rateLimited() async throws {
        let fake = DiscordFake()
        fake.enqueue(.rateLimited(retryAfter: 1.5, global: false))
        try await fake.start()
        try await withApp(configure: { $0.testHooks.discordAPIBase = fake.baseURL }) { client, _ in
            try await Self.enable(client, types: ["price_above"])
            _ = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":1}"#)
            #expect(await eventually { fake.executions.count >= 1 })
            let first = ContinuousClock.now
            #expect(await eventually { fake.executions.count >= 2 })
            let waited = ContinuousClock.now - first
            #expect(waited >= .milliseconds(1_400), "waited \(waited)")
            try await Task.sleep(for: .seconds(2))
            #expect(fake.executions.count == 2, "one refused, one delivered")
            let outbox = try await client.api(.get, "/api/v1/diag/outbox").value()
            #expect(outbox["delivered"]?.decimal == 1)
        }
        await fake.stop()
    }

    @Test("a 404 (unknown webhook) switches forwarding off, says why, and nothing more is sent")
    func webhookGone() async throws {
        let fake = DiscordFake()
        fake.enqueue(.unknownWebhook)
        try await fake.start()
        try await withApp(configure: { $0.testHooks.discordAPIBase = fake.baseURL }) { client, _ in
            try await Self.enable(client, types: ["price_above"])
            _ = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":1}"#)
            #expect(await eventually { fake.executions.count >= 1 })
            #expect(try await eventually {
                try await client.api(.get, "/api/v1/settings").value()["discord"]?["enabled"] == .bool(false)
            })
            let discord = try await client.api(.get, "/api/v1/settings").value()["discord"]
            #expect(discord?["disabled_reason"]?.string?.contains("10015") == true, "\(String(describing: discord))")
            // Another firing while switched off: nothing reaches Discord.
            _ = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"MSFT","type":"price_above","threshold":1}"#)
            #expect(try await eventually { try await Self.firedCount(client) == 2 })
            try await Task.sleep(for: .seconds(2))
            #expect(fake.executions.count == 1)
            let outbox = try await client.api(.get, "/api/v1/diag/outbox").value()
            #expect(outbox["forwarding_enabled"] == .bool(false))
            #expect(outbox["abandoned"]?.decimal == 1)
        }
        await fake.stop()
    }

    @Test("a risk breach is forwarded once when risk is an allowed type")
    func riskForwarded() async throws {
        let fake = DiscordFake()
        try await fake.start()
        try await withApp(configure: {
            $0.testHooks.discordAPIBase = fake.baseURL
            $0.paper.slippage = 2
            $0.riskIntervalSeconds = 1
        }) { client, _ in
            try await OrdersAPITests.waitReady(client)
            try await Self.enable(client, types: ["risk"])
            _ = try await client.api(.patch, "/api/v1/settings", json: #"{"risk":{"max_daily_loss":10}}"#)
            _ = try await OrdersAPITests.place(client, #"{"symbol":"AAPL","action":"buy","quantity":40,"type":"market"}"#)
            #expect(await eventually { fake.executions.count >= 1 })
            try await Task.sleep(for: .seconds(2))
            let bodies = try fake.executions.map { try $0.json() }
            let titles = bodies.compactMap { ($0["embeds"] as? [[String: Any]])?.first?["title"] as? String }
            #expect(titles.filter { $0.lowercased().contains("daily loss") }.count == 1, "\(titles)")
        }
        await fake.stop()
    }

    @Test("settings/discord/test reports Discord's answer; without a webhook it is a 409")
    func testEndpoint() async throws {
        let fake = DiscordFake()
        fake.enqueue(.noContent, .invalidToken)
        try await fake.start()
        try await withApp(configure: { $0.testHooks.discordAPIBase = fake.baseURL }) { client, _ in
            let missing = try await client.api(.post, "/api/v1/settings/discord/test")
            #expect(missing.status == .conflict)
            #expect(missing.isProblem)
            try await Self.enable(client, types: [], enabled: false)
            let ok = try await client.api(.post, "/api/v1/settings/discord/test").value()
            #expect(ok["delivered"] == .bool(true))
            let gone = try await client.api(.post, "/api/v1/settings/discord/test").value()
            #expect(gone["outcome"]?.string == "gone")
            #expect(gone["http_status"]?.decimal == 401)
            #expect(fake.executions.count == 2)
        }
        await fake.stop()
    }
}
