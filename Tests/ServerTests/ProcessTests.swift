import Foundation
import Testing
import TestSupport

/// The real binary, as a user runs it: start-up output, restarts, `kill -9`, SIGTERM.
/// Serialized: each test starts its own server process and they would compete for the 2 cores.
@Suite("Server process", .serialized)
struct ProcessTests {
    static let key = "process-test-key-0123456789"

    func environment(_ database: TestDatabase, extra: [String: String] = [:]) -> [String: String] {
        var env = ["TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path, "TA_LOG_FORMAT": "json"]
        if case .postgres(let url) = database.location { env["DATABASE_URL"] = url }
        return env.merging(extra) { _, new in new }
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test("a fresh start (no TA_API_KEY, stdout not a terminal) prints one dashboard URL with no secret; the stored key opens the API")
    func freshStart() async throws {
        let database = try await TestDatabase.make()
        let server = try ServerProcess(environment: environment(database), directory: database.directory)
        defer { Task { await server.stop(); await database.remove() } }
        try await server.waitUntilListening()
        let lines = server.stdout.split(separator: "\n").filter { $0.contains("Open the dashboard") }
        #expect(lines.count == 1)
        #expect(server.dashboardURL == "http://127.0.0.1:\(server.port)/")
        #expect(lines.first?.contains("stored in") == true && lines.first?.contains("api_key") == true, "\(server.stdout)")
        for banned in ["token=", "login=", "?"] { #expect(!server.stdout.contains(banned), "\(banned) in \(server.stdout)") }
        let dataPath = database.directory.appendingPathComponent("data").path
        let key = try String(contentsOf: database.directory.appendingPathComponent("data/api_key"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.count == 64)
        #expect(!server.stdout.contains(key), "the key is never printed")

        let ok = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/settings", headers: ["X-API-Key": key])
        #expect(ok.status == 200)
        let denied = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/settings")
        #expect(denied.status == 401)
        #expect(denied.headers["content-type"] == "application/problem+json")
        #expect(!server.stderr.contains(key), "the key is never logged")
        // Data at rest is owner-only.
        #expect(Self.mode(dataPath) == 0o700)
        #expect(Self.mode(dataPath + "/api_key") == 0o600)
        if case .sqlite = database.location {
            for suffix in ["", "-wal", "-shm"] {
                #expect(Self.mode(dataPath + "/trading-assistant.sqlite" + suffix) == 0o600, "sqlite\(suffix)")
            }
        }
        // Every log line is one JSON object.
        for line in server.stderr.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
        }
    }

    @Test("with TA_API_KEY: never printed or logged; Referrer-Policy on /; a login code works once; sessions and logout; Host/Origin on the WebSocket")
    func configuredKeyAndLogin() async throws {
        let database = try await TestDatabase.make()
        let server = try ServerProcess(
            environment: environment(database, extra: ["TA_API_KEY": Self.key, "TA_LOG_LEVEL": "trace"]), directory: database.directory)
        defer { Task { await server.stop(); await database.remove() } }
        try await server.waitUntilListening()
        #expect(server.stdout.contains("sign in with your API key (TA_API_KEY)"), "\(server.stdout)")
        #expect(server.dashboardURL == "http://127.0.0.1:\(server.port)/")

        let page = try RawHTTPConnection.request(port: server.port, "GET", "/")
        #expect(page.status == 200)
        #expect(page.headers["referrer-policy"] == "no-referrer")

        let issued = try RawHTTPConnection.request(port: server.port, "POST", "/api/v1/auth/codes", headers: ["X-API-Key": Self.key], body: "{}")
        #expect(issued.status == 201)
        let code = try #require(try issued.json()["code"] as? String)
        let login = try RawHTTPConnection.request(port: server.port, "POST", "/auth/login", body: #"{"code":"\#(code)"}"#)
        #expect(login.status == 200, "\(login.text)")
        let token = try #require(try login.json()["token"] as? String)
        let again = try RawHTTPConnection.request(port: server.port, "POST", "/auth/login", body: #"{"code":"\#(code)"}"#)
        #expect(again.status == 401)
        #expect(again.headers["content-type"] == "application/problem+json")
        let bearer = ["Authorization": "Bearer \(token)"]
        #expect(try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/settings", headers: bearer).status == 200)
        // A webhook URL in the settings, stored while SQL is logged at trace level.
        let patched = try RawHTTPConnection.request(port: server.port, "PATCH", "/api/v1/settings", headers: bearer,
            body: #"{"discord":{"webhook_url":"\#(DiscordFake.discordURL)","enabled":false}}"#)
        #expect(patched.status == 200, "\(patched.text)")
        #expect(try RawHTTPConnection.request(port: server.port, "POST", "/api/v1/auth/logout", headers: bearer).status == 204)
        #expect(try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/settings", headers: bearer).status == 401)

        // DNS rebinding: a Host that is not this server cannot open the WebSocket; a foreign Origin neither.
        func upgrade(host: String, origin: String?) throws -> RawHTTPConnection.Response {
            let connection = try RawHTTPConnection(port: server.port)
            var lines = ["GET /api/v1/ws?token=abc HTTP/1.1", "Host: \(host)", "Upgrade: websocket", "Connection: Upgrade",
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
            if let origin { lines.append("Origin: \(origin)") }
            try connection.send(lines.joined(separator: "\r\n") + "\r\n\r\n")
            return try connection.readResponse()
        }
        // A refused handshake gets an HTTP error instead of 101 (HummingbirdWebSocket answers a
        // refused upgrade itself, so the problem body does not reach the client).
        let rebound = try upgrade(host: "evil.example:\(server.port)", origin: "http://evil.example:\(server.port)")
        #expect(rebound.status != 101 && rebound.status >= 400, "\(rebound.status)")
        let reboundNoOrigin = try upgrade(host: "evil.example:\(server.port)", origin: nil)
        #expect(reboundNoOrigin.status != 101 && reboundNoOrigin.status >= 400, "\(reboundNoOrigin.status)")
        let foreign = try upgrade(host: "127.0.0.1:\(server.port)", origin: "http://127.0.0.1:\(server.port + 1)")
        #expect(foreign.status != 101 && foreign.status >= 400, "\(foreign.status)")
        #expect(try upgrade(host: "127.0.0.1:\(server.port)", origin: "http://127.0.0.1:\(server.port)").status == 101)

        server.signal(SIGTERM)
        _ = await server.waitForExit(timeout: .seconds(10))
        let output = server.stdout + server.stderr
        #expect(!output.contains(Self.key), "TA_API_KEY never appears in stdout or stderr")
        #expect(!output.contains(code), "a login code is never logged")
        #expect(!output.contains(token), "a session token is never logged")
        #expect(output.contains("Executing query"), "SQL is logged at trace level")
        #expect(!output.contains(DiscordFake.token), "the webhook token is never logged")
    }

    @Test("data survives a clean restart and a kill -9")
    func survivesKill() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        let env = environment(database, extra: ["TA_API_KEY": Self.key])
        let headers = ["X-API-Key": Self.key]

        var server = try ServerProcess(environment: env, directory: database.directory)
        try await server.waitUntilListening()
        let created = try RawHTTPConnection.request(port: server.port, "POST", "/api/v1/journal", headers: headers,
            body: #"{"symbol":"AMD","side":"long","entry_price":120.55,"quantity":10,"stop":118}"#)
        #expect(created.status == 201)
        let id = try #require(try created.json()["id"] as? String)
        let patched = try RawHTTPConnection.request(port: server.port, "PATCH", "/api/v1/settings", headers: headers,
            body: #"{"risk":{"max_daily_loss":777.77}}"#)
        #expect(patched.status == 200)
        // The answer has been sent: kill without any chance to flush or shut down.
        server.signal(SIGKILL)
        #expect(await server.waitForExit(timeout: .seconds(10)) != nil)

        server = try ServerProcess(environment: env, directory: database.directory)
        try await server.waitUntilListening()
        let entry = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/journal/\(id)", headers: headers)
        #expect(entry.status == 200)
        #expect(entry.text.contains("120.55"))
        let settings = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/settings", headers: headers)
        #expect(settings.text.contains("777.77"))

        server.signal(SIGTERM)
        #expect(await server.waitForExit(timeout: .seconds(10)) == 0)
        server = try ServerProcess(environment: env, directory: database.directory)
        try await server.waitUntilListening()
        let again = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/journal/\(id)", headers: headers)
        #expect(again.status == 200)
        await server.stop()
    }

    @Test("SIGTERM during a request lets it finish, then the process exits 0 within 5 s")
    func gracefulShutdown() async throws {
        let database = try await TestDatabase.make()
        let server = try ServerProcess(environment: environment(database, extra: ["TA_API_KEY": Self.key]), directory: database.directory)
        defer { Task { await server.stop(); await database.remove() } }
        try await server.waitUntilListening()

        // Start a request and send only half of its body, so it is in flight when the signal arrives.
        let body = #"{"symbol":"SPY","side":"short","entry_price":500,"quantity":2,"stop":505}"#
        let connection = try RawHTTPConnection(port: server.port)
        try connection.send("POST /api/v1/journal HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: \(Self.key)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(20))
        try await Task.sleep(for: .milliseconds(300))
        let signalled = ContinuousClock.now
        server.signal(SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        try connection.send(String(body.dropFirst(20)))
        let response = try connection.readResponse()
        #expect(response.status == 201, "\(response.text)")

        let status = await server.waitForExit(timeout: .seconds(10))
        #expect(status == 0, "stderr: \(server.stderr.suffix(2000))")
        #expect(ContinuousClock.now - signalled < .seconds(5))
        // New connections are no longer accepted.
        #expect(throws: (any Error).self) { _ = try RawHTTPConnection.request(port: server.port, "GET", "/health") }
    }

    @Test("an invalid setting stops start-up with one line naming the variable", arguments: [
        ("TA_PORT", "eighty", "TA_PORT"),
        ("TA_LOG_FORMAT", "xml", "TA_LOG_FORMAT"),
        ("TRADIER_ENV", "production", "TRADIER_ENV"),
        ("DATABASE_URL", "mysql://localhost/db", "DATABASE_URL"),
        ("TA_CORS_ORIGINS", "not a url", "TA_CORS_ORIGINS"),
    ])
    func invalidConfiguration(variable: String, value: String, named: String) async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        var env = environment(database)
        env[variable] = value
        let server = try ServerProcess(environment: env, directory: database.directory)
        let status = await server.waitForExit(timeout: .seconds(20))
        #expect(status != nil && status != 0)
        let lines = server.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(server.stderr)")
        #expect(lines.first?.contains(named) == true)
        #expect(lines.first?.contains("must") == true)
    }

    @Test("migrate runs the migrations and exits 0")
    func migrateCommand() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        let server = try ServerProcess(arguments: ["migrate"], environment: environment(database), directory: database.directory)
        #expect(await server.waitForExit(timeout: .seconds(30)) == 0)
        #expect(server.stdout.contains("migrations are up to date"))
    }
}

@Suite("Alert firing across a crash", .serialized)
struct AlertCrashTests {
    static let key = "crash-test-key-0123456789"
    /// A regular session (Tuesday 10:00 New York) carried across the restarts: the catch-up at start
    /// sees the session's data (in the last session's data it would rightly fire nothing).
    static let marketTime = TestMarketTime()
    static func inSession(_ env: [String: String]) -> [String: String] {
        env.merging(["TA_TEST_NOW": marketTime.iso]) { $1 }
    }

    @Test("killed between a tick and the commit of its firing: after restart the firing exists exactly once")
    func firingSurvivesCrash() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        var env = ["TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path, "TA_API_KEY": Self.key]
        if case .postgres(let url) = database.location { env["DATABASE_URL"] = url }
        let headers = ["X-API-Key": Self.key]

        // 1. This process dies (SIGKILL, by itself) right before it would store the firing.
        var crashing = env
        crashing["TA_TEST_CRASH_BEFORE_ALERT_COMMIT"] = "true"
        let first = try ServerProcess(environment: Self.inSession(crashing), directory: database.directory)
        try await first.waitUntilListening()
        _ = try? RawHTTPConnection.request(port: first.port, "POST", "/api/v1/alerts", headers: headers,
            body: #"{"symbol":"AAPL","type":"price_above","threshold":1,"note":"crash"}"#)
        #expect(await first.waitForExit(timeout: .seconds(15)) != nil, "the crash seam killed the process")
        #expect(first.process.terminationReason == .uncaughtSignal)

        // 2. Restart normally: the alert was stored, its firing was not; it fires once.
        var server = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
        try await server.waitUntilListening()
        var triggers: [[String: Any]] = []
        for _ in 0..<100 {
            triggers = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/alerts/triggers", headers: headers)
                .json()["items"] as? [[String: Any]] ?? []
            if !triggers.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(triggers.count == 1)
        // Catch-up at start fires it when the snapshot's data is newer than the alert; the simulated
        // history's last trade can be older (docs/alerts.md, "Sessions"), and then the first tick does.
        #expect(["catch_up", "stream"].contains(triggers.first?["source"] as? String ?? ""), "\(triggers)")
        server.signal(SIGKILL)
        _ = await server.waitForExit(timeout: .seconds(10))

        // 3. And again: no repeat.
        server = try ServerProcess(environment: Self.inSession(env), directory: database.directory)
        try await server.waitUntilListening()
        try await Task.sleep(for: .seconds(2))
        let again = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/alerts/triggers", headers: headers)
            .json()["items"] as? [[String: Any]] ?? []
        #expect(again.count == 1)
        let alerts = try RawHTTPConnection.request(port: server.port, "GET", "/api/v1/alerts", headers: headers)
            .json()["items"] as? [[String: Any]] ?? []
        #expect(alerts.first?["status"] as? String == "triggered")
        await server.stop()
    }
}
