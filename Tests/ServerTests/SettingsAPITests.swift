import Foundation
import Testing
import TradingDomain

@Suite("Settings API")
struct SettingsAPITests {
    @Test("GET returns the defaults on a new database")
    func defaults() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.get, "/api/v1/settings")
            #expect(response.status == .ok)
            let body = try response.value()
            #expect(body["risk"]?["risk_per_trade_pct"]?.decimal == 1)
            #expect(body["risk"]?["max_daily_loss"]?.decimal == 2000)
            #expect(body["risk"]?["max_daily_loss_pct"]?.isNull == true)
            #expect(body["account"]?["currency"]?.string == "USD")
        }
    }

    @Test("PATCH merges, keeps exact decimals, clears optionals with null, and persists")
    func patchRoundTrip() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.patch, "/api/v1/settings", json: """
                {"risk": {"max_daily_loss": 1234.56, "risk_per_trade_pct": 0.75, "max_daily_loss_pct": 3.5,
                          "max_open_positions": 8},
                 "account": {"currency": "eur"}}
                """)
            #expect(response.status == .ok, "\(response.text)")
            response = try await client.api(.get, "/api/v1/settings")
            var body = try response.value()
            #expect(body["risk"]?["max_daily_loss"]?.decimal == Decimal(string: "1234.56"))
            #expect(body["risk"]?["risk_per_trade_pct"]?.decimal == Decimal(string: "0.75"))
            #expect(body["risk"]?["max_daily_loss_pct"]?.decimal == Decimal(string: "3.5"))
            #expect(body["risk"]?["max_open_positions"]?.decimal == 8)
            #expect(body["risk"]?["max_open_risk_pct"]?.decimal == 6, "untouched fields keep their value")
            #expect(body["account"]?["currency"]?.string == "EUR")
            #expect(response.text.contains("1234.56"), "money is written exactly: \(response.text)")

            response = try await client.api(.patch, "/api/v1/settings", json: #"{"risk": {"max_daily_loss_pct": null}}"#)
            #expect(response.status == .ok)
            body = try await client.api(.get, "/api/v1/settings").value()
            #expect(body["risk"]?["max_daily_loss_pct"]?.isNull == true)
            #expect(body["risk"]?["max_daily_loss"]?.decimal == Decimal(string: "1234.56"))
        }
    }

    @Test("PATCH reports every invalid field at once and changes nothing")
    func patchValidation() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.patch, "/api/v1/settings", json: """
                {"risk": {"max_daily_loss": -5, "risk_per_trade_pct": "x", "max_open_risk_pct": 101,
                          "max_open_positions": 2.5, "max_position_size_pct": null, "surprise": 1},
                 "account": {"currency": "dollars", "equity": 0},
                 "unknown_section": {}}
                """)
            #expect(response.status == .unprocessableContent)
            #expect(response.isProblem)
            let fields = Set(try response.problemFields())
            #expect(fields == [
                "risk.max_daily_loss", "risk.risk_per_trade_pct", "risk.max_open_risk_pct", "risk.max_open_positions",
                "risk.max_position_size_pct", "risk.surprise", "account.currency", "account.equity", "unknown_section",
            ])
            let body = try await client.api(.get, "/api/v1/settings").value()
            #expect(body["risk"]?["max_daily_loss"]?.decimal == 2000)
        }
    }

    @Test("concurrent PATCHes of different fields both land")
    func concurrentPatches() async throws {
        try await withApp { client, _ in
            async let first = client.api(.patch, "/api/v1/settings", json: #"{"risk": {"max_daily_loss": 1500}}"#)
            async let second = client.api(.patch, "/api/v1/settings", json: #"{"account": {"equity": 50000}}"#)
            let (a, b) = try await (first, second)
            #expect(a.status == .ok)
            #expect(b.status == .ok)
            let body = try await client.api(.get, "/api/v1/settings").value()
            #expect(body["risk"]?["max_daily_loss"]?.decimal == 1500)
            #expect(body["account"]?["equity"]?.decimal == 50000)
        }
    }
}

@Suite("Discord settings API")
struct DiscordSettingsAPITests {
    static let url = "https://discord.com/api/webhooks/123456789012345678/\(DiscordSettingsTests_token)"

    @Test("the webhook URL is stored, read back masked, kept when the masked value is echoed, and bad URLs are 422")
    func roundTrip() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.patch, "/api/v1/settings", json: """
                {"discord": {"webhook_url": "\(Self.url)", "enabled": true, "alert_types": ["price_above", "risk"], "username": "Desk"}}
                """)
            #expect(response.status == .ok, "\(response.text)")
            #expect(!response.text.contains(DiscordSettingsTests_token), "the token never comes back")
            var discord = try response.value()["discord"]
            #expect(discord?["webhook_url"]?.string == "https://discord.com/api/webhooks/123456789012345678/****")
            #expect(discord?["enabled"] == .bool(true))
            #expect(discord?["alert_types"]?.array?.compactMap(\.string) == ["price_above", "risk"])

            // A client that sends back what it read (masked) does not wipe the stored URL.
            response = try await client.api(.patch, "/api/v1/settings", json: """
                {"discord": {"webhook_url": "https://discord.com/api/webhooks/123456789012345678/****", "username": "Desk 2"}}
                """)
            #expect(response.status == .ok, "\(response.text)")
            discord = try await client.api(.get, "/api/v1/settings").value()["discord"]
            #expect(discord?["webhook_url"]?.string?.hasSuffix("/****") == true)
            #expect(discord?["username"]?.string == "Desk 2")

            let bad = try await client.api(.patch, "/api/v1/settings", json: """
                {"discord": {"webhook_url": "http://evil.example.com/api/webhooks/1/x", "alert_types": ["weather"]}}
                """)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try bad.problemFields()) == ["discord.webhook_url", "discord.alert_types[0]"])

            let noURL = try await client.api(.patch, "/api/v1/settings", json: #"{"discord": {"webhook_url": null}}"#)
            #expect(noURL.status == .unprocessableContent, "still enabled, so a URL is needed")
            #expect(try noURL.problemFields() == ["discord.enabled"])
        }
    }
}

let DiscordSettingsTests_token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123"
