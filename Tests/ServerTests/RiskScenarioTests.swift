import APIInput
import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The risk engine offline: a position loses money in the simulated market (bought at the ask
/// with slippage, marked at the last price) until the daily loss limit is crossed.
@Suite("Risk scenario", .serialized)
struct RiskScenarioTests {
    static let key = "risk-scenario-key-0123456789"

    /// The market's time for these processes: real time from a regular session (Tuesday 10:00 New
    /// York), carried across restarts (`TA_TEST_NOW` at each start), so orders fill whenever the
    /// tests run.
    static let marketTime = TestMarketTime()
    static func inSession(_ env: [String: String]) -> [String: String] {
        env.merging(["TA_TEST_NOW": marketTime.iso]) { $1 }
    }
    static let headers = ["X-API-Key": key, "Content-Type": "application/json"]

    static func call(_ server: ServerProcess, _ method: String, _ path: String, _ body: String? = nil) throws -> RawHTTPConnection.Response {
        try RawHTTPConnection.request(port: server.port, method, path, headers: headers, body: body)
    }

    static func place(_ server: ServerProcess, _ ticket: String) throws -> [String: Any] {
        let preview = try call(server, "POST", "/api/v1/orders/preview", ticket).json()
        let token = try #require(preview["confirmation_token"] as? String, "\(preview)")
        return try call(server, "POST", "/api/v1/orders", #"{"confirmation_token":"\#(token)"}"#).json()
    }

    @Test("loss past the daily limit: one risk firing, halted, new orders refused with the code, cancel works, still halted after a restart")
    func dailyLossHalts() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        var env = [
            "TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path, "TA_API_KEY": Self.key,
            "TA_PAPER_SLIPPAGE": "2", "TA_RISK_INTERVAL_S": "1",
        ]
        if case .postgres(let url) = database.location { env["DATABASE_URL"] = url }

        let server = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
        try await server.waitUntilListening()
        for _ in 0..<100 where (try? Self.call(server, "GET", "/ready").status) != 200 { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try Self.call(server, "PATCH", "/api/v1/settings", #"{"risk":{"max_daily_loss":10}}"#).status == 200)
        #expect(try Self.call(server, "GET", "/api/v1/risk").json()["state"] as? String == "active")

        // A working order to cancel later, then a position that is under water at once (slippage).
        let working = try Self.place(server, #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"limit","limit_price":1,"duration":"gtc"}"#)
        let workingID = try #require(working["id"] as? String)
        _ = try Self.place(server, #"{"symbol":"AAPL","action":"buy","quantity":40,"type":"market"}"#)

        var risk: [String: Any] = [:]
        for _ in 0..<100 {
            risk = try Self.call(server, "GET", "/api/v1/risk").json()
            if risk["state"] as? String == "halted" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(risk["state"] as? String == "halted", "\(risk)")
        #expect((risk["reason"] as? String)?.contains("daily loss") == true)
        try await Task.sleep(for: .seconds(2))  // more evaluations while still breached
        let firings = try Self.call(server, "GET", "/api/v1/risk/firings").json()["items"] as? [[String: Any]] ?? []
        #expect(firings.filter { $0["kind"] as? String == "daily_loss" }.count == 1, "one firing per episode: \(firings)")

        let refused = try Self.call(server, "POST", "/api/v1/orders/preview", #"{"symbol":"NVDA","action":"buy","quantity":1,"type":"market"}"#)
        #expect(refused.status == 409)
        #expect(try refused.json()["code"] as? String == "risk_halted")
        let cancel = try Self.call(server, "DELETE", "/api/v1/orders/\(workingID)")
        #expect(cancel.status == 202, "a cancel still works while halted")
        server.signal(SIGKILL)
        _ = await server.waitForExit(timeout: .seconds(10))

        // Restart: still halted, and no second firing for the same episode.
        let again = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
        try await again.waitUntilListening()
        let after = try Self.call(again, "GET", "/api/v1/risk").json()
        #expect(after["state"] as? String == "halted")
        try await Task.sleep(for: .seconds(2))
        let firingsAfter = try Self.call(again, "GET", "/api/v1/risk/firings").json()["items"] as? [[String: Any]] ?? []
        #expect(firingsAfter.filter { $0["kind"] as? String == "daily_loss" }.count == 1)
        let stillRefused = try Self.call(again, "POST", "/api/v1/orders/preview", #"{"symbol":"NVDA","action":"buy","quantity":1,"type":"market"}"#)
        #expect(try stillRefused.json()["code"] as? String == "risk_halted")
        await again.stop()
    }

    @Test("the market moves against a position: day P&L follows the price, and past the daily limit trading halts with one firing")
    func dailyLossFromMarketMovement() async throws {
        let market = ScriptedMarket(defaultPrice: 100)
        try await withApp(configure: { config in
            config.paper.slippage = 0
            config.riskIntervalSeconds = 1
        }, marketFeed: market) { client, _ in
            try await OrdersAPITests.waitReady(client)
            #expect(try await client.api(.patch, "/api/v1/settings", json: #"{"risk":{"max_daily_loss":50}}"#).status == .ok)
            _ = try await OrdersAPITests.place(client, #"{"symbol":"AAPL","action":"buy","quantity":10,"type":"market"}"#)
            var risk: JSONValue = .null
            /// Reads the risk report until `done` holds (the engine evaluates every second).
            func riskUntil(_ done: (JSONValue) -> Bool) async throws {
                try await eventually(timeout: .seconds(10)) {
                    risk = try await client.api(.get, "/api/v1/risk").value()
                    return done(risk)
                }
            }
            try await riskUntil { !($0["snapshot"]?["positions"]?.array?.isEmpty ?? true) }
            #expect(risk["state"]?.string == "active", "no loss from the fill itself: \(risk)")
            let afterFill = risk["snapshot"]?["day_pnl"]?.decimal ?? 0
            #expect(afterFill > -1, "bought at the ask, one cent from last: \(afterFill)")

            // Down 3: a loss of about 30, inside the limit of 50.
            market.set("AAPL", 97)
            try await riskUntil { ($0["snapshot"]?["day_pnl"]?.decimal ?? 0) <= -29 }
            #expect(risk["state"]?.string == "active")
            #expect(((risk["snapshot"]?["day_pnl"]?.decimal ?? 0) + 30).magnitude <= 1, "day P&L follows the price: \(risk["snapshot"] ?? .null)")

            // Down 8: past the limit.
            market.set("AAPL", 92)
            try await riskUntil { $0["state"]?.string == "halted" }
            #expect(risk["state"]?.string == "halted", "\(risk)")
            #expect(risk["reason"]?.string?.contains("daily loss") == true)
            #expect(((risk["snapshot"]?["day_pnl"]?.decimal ?? 0) + 80).magnitude <= 1)
            let firings = try await client.api(.get, "/api/v1/risk/firings").value()["items"]?.array ?? []
            #expect(firings.filter { $0["kind"]?.string == "daily_loss" }.count == 1)
            let refused = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market"}"#)
            #expect(refused.status == .conflict)
        }
    }

    @Test("the kill switch halts with a reason, refuses new orders, and resume lifts it; risk events reach the WebSocket")
    func killSwitch() async throws {
        try await withApp(configure: { $0.riskIntervalSeconds = 1 }, testing: .live) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let missing = try await client.api(.post, "/api/v1/risk/halt", json: "{}")
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problemFields() == ["reason"])
            let halted = try await client.api(.post, "/api/v1/risk/halt", json: #"{"reason":"stepping away"}"#).value()
            #expect(halted["state"]?.string == "halted")
            #expect(halted["manual_halt"] == .bool(true))
            let refused = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market"}"#)
            #expect(refused.status == .conflict)
            #expect(try refused.json()["code"] as? String == "risk_halted")
            let resumed = try await client.api(.post, "/api/v1/risk/resume", json: #"{"reason":"back"}"#).value()
            #expect(resumed["state"]?.string == "active")
            #expect(try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market"}"#).status == .ok)

            let token = try #require(try await client.api(.post, "/api/v1/ws/token").json()["token"] as? String)
            let received = WebSocketTests.Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["risk"]}"#))
                let deadline = ContinuousClock.now + .seconds(5)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    if !received.of(type: "risk").isEmpty || ContinuousClock.now > deadline { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let event = try #require(received.of(type: "risk").first?["data"] as? [String: Any])
            #expect(event["state"] as? String == "active")
            #expect(event["snapshot"] is [String: Any])
        }
    }
}
