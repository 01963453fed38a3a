import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import Testing
import TradingDomain

@Suite("Alerts API")
struct AlertsAPITests {
    @Test("create, read, list, patch (re-arm, change threshold), delete; unknown id is 404")
    func crud() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.post, "/api/v1/alerts", json: """
                {"symbol":"aapl","type":"price_above","threshold":100000,"note":"breakout","mode":"repeat","cooldown_s":60}
                """)
            #expect(response.status == .created, "\(response.text)")
            var body = try response.value()
            let id = try #require(body["id"]?.string)
            #expect(body["symbol"]?.string == "AAPL")
            #expect(body["status"]?.string == "active")
            #expect(body["cooldown_s"]?.decimal == 60)

            response = try await client.api(.patch, "/api/v1/alerts/\(id)", json: #"{"threshold": 150000.5, "note": "higher"}"#)
            #expect(response.status == .ok, "\(response.text)")
            body = try response.value()
            #expect(body["threshold"]?.decimal == Decimal(string: "150000.5"))
            #expect(body["note"]?.string == "higher")

            response = try await client.api(.patch, "/api/v1/alerts/\(id)", json: #"{"status": "disabled"}"#)
            #expect(try response.value()["status"]?.string == "disabled")
            let list = try await client.api(.get, "/api/v1/alerts?status=disabled&symbol=AAPL").value()
            #expect(list["items"]?.array?.count == 1)

            #expect(try await client.api(.delete, "/api/v1/alerts/\(id)").status == .noContent)
            #expect(try await client.api(.get, "/api/v1/alerts/\(id)").status == .notFound)
            #expect(try await client.api(.patch, "/api/v1/alerts/\(id)", json: "{}").status == .notFound)
        }
    }

    @Test("bad alert input is a 422 naming each field")
    func validation() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.post, "/api/v1/alerts", json: """
                {"symbol":"1??","type":"price_sideways","threshold":-5,"mode":"repeat","cooldown_s":1,
                 "expires_at":"2001-01-01T00:00:00Z","note":"\(String(repeating: "n", count: 600))","color":"red"}
                """)
            #expect(response.status == .unprocessableContent)
            #expect(response.isProblem)
            let fields = Set(try response.problemFields())
            for field in ["symbol", "type", "threshold", "cooldown_s", "expires_at", "note", "color"] {
                #expect(fields.contains(field), "\(field) missing from \(fields)")
            }
        }
    }

    @Test("an alert whose condition holds fires once: stored as a trigger, status triggered, WebSocket alert event")
    func firesEndToEnd() async throws {
        try await withApp(testing: .live) { client, components in
            let token = try #require(try await client.api(.post, "/api/v1/ws/token").json()["token"] as? String)
            let received = WebSocketTests.Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["alerts"]}"#))
                // Any simulated price is above 1, so this fires on the next tick (or at once).
                let created = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"MSFT","type":"price_above","threshold":1,"note":"test note"}"#)
                #expect(created.status == .created)
                let deadline = ContinuousClock.now + .seconds(5)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    if !received.of(type: "alert").isEmpty || ContinuousClock.now > deadline { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let alert = try #require(received.of(type: "alert").first?["data"] as? [String: Any])
            #expect(alert["symbol"] as? String == "MSFT")
            #expect(alert["type"] as? String == "price_above")
            #expect(alert["note"] as? String == "test note")
            let id = try #require(alert["alert_id"] as? String)

            let rule = try await client.api(.get, "/api/v1/alerts/\(id)").value()
            #expect(rule["status"]?.string == "triggered")
            #expect(rule["fire_count"]?.decimal == 1)
            let triggers = try await client.api(.get, "/api/v1/alerts/triggers?alert_id=\(id)").value()
            #expect(triggers["items"]?.array?.count == 1)
            #expect(triggers["items"]?[0]?["price"]?.decimal ?? 0 > 1)
            #expect(components.alerts.armedCount == 0, "a fired once-alert leaves the book")
        }
    }

    @Test("alerts on a symbol outside the watchlist still get ticks")
    func alertSymbolIsStreamed() async throws {
        try await withApp { client, components in
            let response = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"NFLX","type":"price_below","threshold":1}"#)
            #expect(response.status == .created)
            for _ in 0..<100 where !components.market.watchedSymbols.contains(Symbol(trusted: "NFLX")) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(components.market.watchedSymbols.contains(Symbol(trusted: "NFLX")))
        }
    }

    @Test("an alert expires on time with no ticks at all (manual clock)")
    func expiresWithoutTicks() async throws {
        let clock = ManualTestClock()
        try await withApp(clock: clock) { client, _ in
            let expiry = ISO8601.format(clock.now().addingTimeInterval(60))
            let created = try await client.api(.post, "/api/v1/alerts", json: """
                {"symbol":"ZZZZ","type":"price_above","threshold":99999,"expires_at":"\(expiry)"}
                """)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.value()["id"]?.string)
            clock.advance(seconds: 61)
            var status: String?
            for _ in 0..<50 {
                status = try await client.api(.get, "/api/v1/alerts/\(id)").value()["status"]?.string
                if status == "expired" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(status == "expired")
        }
    }

    @Test("the alert cap refuses new alerts past TA_MAX_ALERTS")
    func cap() async throws {
        try await withApp(configure: { $0.maxAlerts = 2 }) { client, _ in
            for _ in 0..<2 {
                #expect(try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":99999}"#).status == .created)
            }
            let refused = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":99999}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("TA_MAX_ALERTS"))
        }
    }
}
