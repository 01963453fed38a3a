import APIInput
import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain

/// What /metrics and /api/v1/diag/* promise in docs/operations.md, read back: the series and
/// fields are there, they move with what happened, and no configured secret appears.
@Suite("Diagnostics content")
struct DiagnosticsContentTests {
    final class Captured: @unchecked Sendable {
        var value: JSONValue = .null
    }

    static let secrets = (
        polygon: "polygon-secret-0123456789", tradier: "tradier-secret-0123456789", openAI: "sk-openai-secret-0123456789",
        chatData: "chatdata-secret-0123456789", database: "pg-password-0123456789")

    @Test("diag/config shows the effective configuration with every secret redacted")
    func configRedacted() async throws {
        try await withApp(configure: { config in
            config.polygon.apiKey = Self.secrets.polygon
            config.coach.openAI.apiKey = Self.secrets.openAI
            config.coach.chatData.apiKey = Self.secrets.chatData
            config.coach.chatData.chatbotID = "bot"
        }) { client, _ in
            let response = try await client.api(.get, "/api/v1/diag/config")
            #expect(response.status == .ok)
            let text = response.text
            for secret in [TestApp.apiKey, Self.secrets.polygon, Self.secrets.openAI, Self.secrets.chatData] {
                #expect(!text.contains(secret), "a secret is shown")
            }
            let config = try #require(try response.value()["config"])
            #expect(config["TA_API_KEY"]?.string == "[redacted]")
            #expect(config["POLYGON_API_KEY"]?.string == "[redacted]")
            #expect(config["OPENAI_API_KEY"]?.string == "[redacted]")
            #expect(config["TA_MARKET_DATA"]?.string == "simulated")
            #expect(config["broker"]?.string == "paper")
        }
    }

    @Test("diag/config keeps a database URL's host and name but not its password")
    func databasePasswordRedacted() async throws {
        var config = AppConfig()
        config.databaseURL = "postgres://trader:\(Self.secrets.database)@db.internal:5432/ta"
        let shown = config.redactedSummary.compactMapValues { $0 }.map { "\($0)=\($1)" }.joined(separator: " ")
        #expect(!shown.contains(Self.secrets.database))
        #expect(shown.contains("db.internal"))
    }

    @Test("diag/ws counts clients, frames and the cap; diag/engine and diag/db report what ran")
    func wsEngineDatabase() async throws {
        try await withApp(configure: { $0.simulation.ticksPerSecond = 20 }, testing: .live) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let token = try #require(try await client.api(.post, "/api/v1/ws/token").json()["token"] as? String)
            let captured = Captured()
            _ = try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["prices"]}"#))
                var frames = 0
                for try await _ in inbound.messages(maxSize: 1 << 20) {
                    frames += 1
                    if frames >= 5 { break }
                }
                captured.value = try await client.api(.get, "/api/v1/diag/ws").value()
                try await outbound.close(.normalClosure, reason: nil)
            }
            let during = captured.value
            #expect(during["clients"]?.decimal == 1, "\(during)")
            #expect(during["max_clients"]?.decimal == 1_000)
            #expect((during["connected_total"]?.decimal ?? 0) >= 1)
            #expect((during["frames_sent"]?.decimal ?? 0) >= 5)
            for field in ["dropped_total", "deepest_queue", "max_queue", "auth_blocked_addresses"] {
                #expect(during[field]?.decimal != nil, "diag/ws.\(field)")
            }

            _ = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":100000}"#)
            var engine: JSONValue = .null
            try await eventually(timeout: .seconds(5)) {
                engine = try await client.api(.get, "/api/v1/diag/engine").value()
                return (engine["ticks_evaluated"]?.decimal ?? 0) > 0
            }
            #expect(engine["alerts_armed"]?.decimal == 1, "\(engine)")
            #expect((engine["ticks_ingested"]?.decimal ?? 0) > 0)
            #expect((engine["ticks_evaluated"]?.decimal ?? 0) > 0)
            #expect(engine["firings"]?.decimal == 0)
            #expect((engine["evaluation_latency_us"]?["samples"]?.decimal ?? 0) > 0)

            let db = try await client.api(.get, "/api/v1/diag/db").value()
            #expect(db["reachable"] == .bool(true))
            #expect(["sqlite", "postgres"].contains(db["backend"]?.string ?? ""))
            #expect(db["migrations"]?.array?.first?.string == "001_create_settings")
            #expect((db["ping_ms"]?.decimal ?? -1) >= 0)
        }
    }

    @Test("/metrics has every series the docs list, counting what happened, and no secret")
    func metricsSeries() async throws {
        try await withApp(configure: { $0.polygon.apiKey = nil }) { client, _ in
            try await OrdersAPITests.waitReady(client)
            _ = try await client.api(.get, "/api/v1/settings")
            _ = try await client.api(.get, "/api/v1/settings")
            let response = try await client.api(.get, "/metrics")
            #expect(response.status == .ok)
            let text = response.text
            #expect(!text.contains(TestApp.apiKey))
            let series = [
                "ta_http_requests_total", "ta_http_request_duration_seconds", "ta_ticks_ingested_total", "ta_feed_connected",
                "ta_feed_reconnects_total", "ta_feed_last_message_age_seconds", "ta_feed_stale_symbols", "ta_alerts_armed",
                "ta_alert_evaluations_total", "ta_alert_firings_total", "ta_alert_evaluation_seconds", "ta_ws_clients",
                "ta_ws_dropped_total", "ta_ws_frames_sent_total", "ta_outbox_messages", "ta_outbox_sent_total", "ta_orders",
                "ta_broker_accepting_orders",
            ]
            for name in series {
                #expect(text.contains("# TYPE \(name) "), "\(name) is declared")
            }
            let settingsRequests = text.split(separator: "\n").first {
                $0.hasPrefix("ta_http_requests_total{") && $0.contains("/api/v1/settings") && $0.contains("GET") && $0.contains("200")
            }
            let count = settingsRequests.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
            #expect(count >= 2, "the two GETs are counted: \(settingsRequests.map(String.init) ?? "no line")")
            #expect(text.contains("ta_broker_accepting_orders 1"))
        }
    }
}
