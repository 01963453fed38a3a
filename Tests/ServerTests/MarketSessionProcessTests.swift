import Foundation
import Server
import Testing
import TestSupport
import TradingDomain

/// The market-session knobs of the real binary: `TA_TEST_NOW` pins the server's clock (debug
/// builds), `TA_SIM_SESSION` is validated like every setting.
@Suite("Market sessions: process and configuration", .serialized)
struct MarketSessionProcessTests {
    static let key = "session-process-key-0123456789"

    @Test("TA_TEST_NOW starts the server's clock at 12:59 on the 2026-11-27 early close: the regular session, closing at 13:00")
    func pinnedClock() async throws {
        let database = try await TestDatabase.make()
        var env = ["TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path, "TA_API_KEY": Self.key,
                   "TA_TEST_NOW": "2026-11-27T12:59:00-05:00", "TA_SIM_SESSION": "calendar"]
        if case .postgres(let url) = database.location { env["DATABASE_URL"] = url }
        let server = try ServerProcess(environment: env, directory: database.directory)
        defer { Task { await server.stop(); await database.remove() } }
        try await server.waitUntilListening()
        let response = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/market/status", headers: ["X-API-Key": Self.key])
        #expect(response.status == 200)
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        #expect(body["session"] as? String == "regular", "\(response.text)")
        #expect(body["early_close"] as? Bool == true)
        #expect(body["next_close"] as? String == "2026-11-27T18:00:00.000Z")
        #expect(body["sim_session"] as? String == "calendar")
        let asOf = try #require((body["as_of"] as? String).flatMap(ISO8601.parse))
        #expect(asOf >= ISO8601.parse("2026-11-27T17:59:00Z")!)
        #expect(asOf < ISO8601.parse("2026-11-27T18:00:00Z")!, "the clock runs on from the pinned start")
    }

    static func load(_ environment: [String: String]) async throws -> AppConfig {
        try AppConfig.load(from: try await AppConfig.reader(flags: [:], environment: environment, envFile: nil))
    }

    @Test("TA_SIM_SESSION is calendar by default, always_open on request, anything else refused; TA_TEST_NOW needs a zone")
    func settings() async throws {
        #expect(try await Self.load([:]).simulation.session == .calendar)
        #expect(try await Self.load(["TA_SIM_SESSION": "always_open"]).simulation.session == .alwaysOpen)
        #expect(try await Self.load(["TA_SIM_SESSION": "ALWAYS_OPEN"]).simulation.session == .alwaysOpen)
        do {
            _ = try await Self.load(["TA_SIM_SESSION": "night", "TA_TEST_NOW": "2026-11-27T12:59:00"])
            Issue.record("accepted bad values")
        } catch let error as ConfigError {
            #expect(error.variables == ["TA_SIM_SESSION", "TA_TEST_NOW"], "\(error)")
            #expect(error.description.contains("calendar, always_open"))
        }
        #expect(try await Self.load(["TA_TEST_NOW": "2026-11-27T12:59:00-05:00"]).testHooks.now == ISO8601.parse("2026-11-27T17:59:00Z"))
    }
}
