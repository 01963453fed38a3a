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
