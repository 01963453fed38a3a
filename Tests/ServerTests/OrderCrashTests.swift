import Foundation
import Testing
import TestSupport

/// No duplicate order across `kill -9`: the process dies right after storing the intent, or right
/// after the broker accepted the order but before the answer was stored. After a restart there is
/// exactly one order at the broker and our records match it.
@Suite("Orders across a crash", .serialized)
struct OrderCrashTests {
    static let key = "order-crash-key-0123456789"

    /// The market's time for these processes: real time from a regular session (Tuesday 10:00 New
    /// York), carried across restarts (`TA_TEST_NOW` at each start), so orders fill whenever the
    /// tests run.
    static let marketTime = TestMarketTime()
    static func inSession(_ env: [String: String]) -> [String: String] {
        env.merging(["TA_TEST_NOW": marketTime.iso]) { $1 }
    }
    static let headers = ["X-API-Key": key, "Content-Type": "application/json"]

    static func get(_ server: ServerProcess, _ path: String) throws -> [String: Any] {
        try RawHTTPConnection.request(port: server.port, "GET", path, headers: headers).json()
    }

    /// The environment of a server on `database` (plus `extra`).
    static func environment(_ database: TestDatabase, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ["TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path, "TA_API_KEY": key]
        if case .postgres(let url) = database.location { env["DATABASE_URL"] = url }
        return env.merging(extra) { $1 }
    }

    /// Starts a server that kills itself at `point`, previews and confirms `ticket`, and waits for the crash.
    static func confirmAndCrash(_ env: [String: String], at point: String, ticket: String, directory: URL) async throws {
        var crashing = env
        crashing["TA_TEST_CRASH_AT"] = point
        let first = try ServerProcess(environment: Self.inSession(crashing), directory: directory)
        try await first.waitUntilListening()
        for _ in 0..<50 where (try? RawHTTPConnection.request(port: first.port, "GET", "/ready", headers: [:]).status) != 200 {
            try await Task.sleep(for: .milliseconds(100))
        }
        let preview = try RawHTTPConnection.request(port: first.port, "POST", "/api/v1/orders/preview", headers: headers, body: ticket).json()
        let token = try #require(preview["confirmation_token"] as? String, "\(preview)")
        _ = try? RawHTTPConnection.request(port: first.port, "POST", "/api/v1/orders", headers: headers,
            body: #"{"confirmation_token":"\#(token)"}"#)
        #expect(await first.waitForExit(timeout: .seconds(15)) != nil, "the crash seam killed the process")
        #expect(first.process.terminationReason == .uncaughtSignal)
    }

    @Test("killed at each crash point: one order at the broker after the restart, local state matches, journal once", arguments: ["after_intent", "after_broker_accept"])
    func noDuplicate(point: String) async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        let env = Self.environment(database)
        // 1. Preview and confirm; the process kills itself at the crash point.
        try await Self.confirmAndCrash(env, at: point, ticket: #"{"symbol":"AAPL","action":"buy","quantity":7,"type":"market"}"#, directory: database.directory)

        // 2. Restart: reconciliation resolves the order (sent now, or found by its tag) and journals its fill.
        for round in 0..<2 {
            let server = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
            try await server.waitUntilListening()
            var orders: [[String: Any]] = []
            for _ in 0..<100 {
                orders = try Self.get(server, "/api/v1/orders")["orders"] as? [[String: Any]] ?? []
                if orders.first?["status"] as? String == "filled" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(orders.count == 1, "round \(round)")
            #expect(orders.first?["status"] as? String == "filled", "round \(round): \(orders)")
            #expect(orders.first?["broker_order_id"] as? String == "P-1", "the broker holds exactly one order")
            let positions = try Self.get(server, "/api/v1/positions")["positions"] as? [[String: Any]] ?? []
            #expect(positions.count == 1)
            #expect((positions.first?["quantity"] as? NSNumber)?.intValue == 7, "one fill of 7 at the broker")
            var journal: [[String: Any]] = []
            for _ in 0..<50 {
                journal = try Self.get(server, "/api/v1/journal")["items"] as? [[String: Any]] ?? []
                if !journal.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(journal.count == 1)
            #expect((journal.first?["quantity"] as? NSNumber)?.intValue == 7, "journaled once: \(journal)")
            var broker: [String: Any] = [:]
            for _ in 0..<100 {
                broker = try Self.get(server, "/api/v1/diag/broker")
                if broker["accepting_orders"] as? Bool == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(broker["accepting_orders"] as? Bool == true, "reconciled, nothing unresolved: \(broker)")
            server.signal(SIGKILL)
            _ = await server.waitForExit(timeout: .seconds(10))
            // The log (stderr; stdout carries the login URL by design) never shows the key.
            #expect(!server.stderr.contains(Self.key))
        }
    }

    @Test("killed while sending (after 'sending' is stored): after the restart the order is 'unknown' and never re-sent; 'send anyway' places it once, confirmed")
    func killedWhileSending() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        let env = Self.environment(database)
        try await Self.confirmAndCrash(env, at: "after_sending", ticket: #"{"symbol":"AAPL","action":"buy","quantity":5,"type":"market"}"#, directory: database.directory)

        let server = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
        defer { Task { await server.stop() } }
        try await server.waitUntilListening()
        var orders: [[String: Any]] = []
        try await eventually {
            orders = try Self.get(server, "/api/v1/orders")["orders"] as? [[String: Any]] ?? []
            return orders.first?["status"] as? String == "unknown"
        }
        let id = try #require(orders.first?["id"] as? String)
        #expect(orders.first?["status"] as? String == "unknown", "\(orders)")
        // Several reconciliation runs later it is still unknown and nothing reached the broker.
        try await eventually {
            ((try Self.get(server, "/api/v1/diag/broker")["reconciliation_runs"] as? NSNumber)?.intValue ?? 0) >= 2
        }
        #expect((try Self.get(server, "/api/v1/orders/\(id)")["status"] as? String) == "unknown")
        #expect((try Self.get(server, "/api/v1/positions")["positions"] as? [[String: Any]] ?? []).isEmpty, "never re-sent blindly")

        // The user sends it anyway: a preview of the same order, confirmed.
        let again = try RawHTTPConnection.request(port: server.port, "POST", "/api/v1/orders/preview", headers: Self.headers,
            body: #"{"resend_of":"\#(id)"}"#).json()
        #expect((again["checks"] as? [[String: Any]])?.contains { $0["name"] as? String == "resend" } == true, "\(again)")
        let resendToken = try #require(again["confirmation_token"] as? String)
        let placed = try RawHTTPConnection.request(port: server.port, "POST", "/api/v1/orders", headers: Self.headers,
            body: #"{"confirmation_token":"\#(resendToken)"}"#)
        #expect(placed.status == 201, "\(placed.text)")
        var quantity = 0
        try await eventually {
            let positions = try Self.get(server, "/api/v1/positions")["positions"] as? [[String: Any]] ?? []
            quantity = (positions.first?["quantity"] as? NSNumber)?.intValue ?? 0
            return quantity != 0
        }
        #expect(quantity == 5, "the resent order filled once")
    }

    @Test("the same crash points against the Tradier fake: at most one order with our tag ever reaches the broker, journaled once",
          arguments: ["after_intent", "after_sending", "after_broker_accept"])
    func noDuplicateOnTradier(point: String) async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setQuote("AAPL", last: 150)
        fake.setCash(50_000)
        let database = try await TestDatabase.make()
        defer { Task { await database.remove(); await fake.stop() } }
        let env = Self.environment(database, [
            "TRADIER_ACCESS_TOKEN": TradierFake.validToken, "TRADIER_ACCOUNT_ID": TradierFake.defaultAccount,
            "TRADIER_BASE_URL": fake.baseURL.absoluteString, "TA_MARKET_DATA": "simulated",
        ])
        try await Self.confirmAndCrash(
            env, at: point, ticket: #"{"symbol":"AAPL","action":"buy","quantity":7,"type":"limit","limit_price":150}"#, directory: database.directory)

        for round in 0..<2 {
            let server = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
            try await server.waitUntilListening()
            var orders: [[String: Any]] = []
            let expected = point == "after_sending" ? "unknown" : (round == 0 ? "open" : "filled")
            try await eventually(timeout: .seconds(15)) {
                orders = try Self.get(server, "/api/v1/orders")["orders"] as? [[String: Any]] ?? []
                return orders.first?["status"] as? String == expected
            }
            #expect(orders.count == 1, "round \(round)")
            #expect(orders.first?["status"] as? String == expected, "round \(round): \(orders)")
            let id = try #require(orders.first?["id"] as? String)
            if point == "after_sending" {
                // Maybe sent, maybe not: never re-sent blindly. Here it never reached the broker.
                #expect(fake.placements.isEmpty, "round \(round): nothing sent after the crash")
            } else {
                #expect(fake.orders.filter { $0.tag == id }.count == 1, "round \(round): one order with our tag at the broker")
                #expect(fake.placements.filter { $0.form["tag"] == id }.count == 1, "round \(round): placed once")
                if round == 0, let atBroker = fake.order(tag: id) {
                    fake.fillOrder(id: atBroker.id, price: 150)
                    var journal: [[String: Any]] = []
                    try await eventually {
                        journal = try Self.get(server, "/api/v1/journal")["items"] as? [[String: Any]] ?? []
                        return !journal.isEmpty
                    }
                    #expect(journal.count == 1)
                }
                if round == 1 {
                    let journal = try Self.get(server, "/api/v1/journal")["items"] as? [[String: Any]] ?? []
                    #expect(journal.count == 1, "journaled once across the restart")
                    #expect((journal.first?["quantity"] as? NSNumber)?.intValue == 7)
                }
            }
            server.signal(SIGKILL)
            _ = await server.waitForExit(timeout: .seconds(10))
            #expect(!server.stderr.contains(Self.key))
            #expect(!server.stderr.contains(TradierFake.validToken))
        }
    }
}
