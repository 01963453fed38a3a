import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
@testable import Server
import Testing
import TestSupport
import TradingEngine

/// Login codes, sessions, `/ready` details, Referrer-Policy, file modes, log redaction, WebSocket
/// Origin/Host rules (docs/operations.md, "Access, login and secrets").
extension SecurityTests {
    static func login(_ client: any TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/auth/login", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    @Test("a login code from POST /api/v1/auth/codes works once; its session opens /api/v1 like the key; logout ends it")
    func loginCodeAndSession() async throws {
        try await withApp { client, _ in
            let issued = try await client.api(.post, "/api/v1/auth/codes")
            #expect(issued.status == .created)
            let code = try #require(try issued.json()["code"] as? String)
            #expect(try issued.json()["url"] as? String == "/?login=\(code)")
            #expect(try issued.json()["expires_at"] is String)

            let first = try await Self.login(client, #"{"code":"\#(code)"}"#)
            #expect(first.status == .ok, "\(first.text)")
            let token = try #require(try first.json()["token"] as? String)
            #expect(token != TestApp.apiKey)
            #expect(try first.json()["expires_at"] is String)
            let second = try await Self.login(client, #"{"code":"\#(code)"}"#)
            #expect(second.status == .unauthorized)
            #expect(second.isProblem)
            #expect(try second.json()["code"] as? String == "login_failed")

            // The session works as Bearer and as X-API-Key, on any /api/v1 route and for a WebSocket token.
            #expect(try await client.execute(uri: "/api/v1/settings", method: .get, headers: Self.bearer(token)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/watchlist", method: .get, headers: [HTTPField.Name("X-API-Key")!: token]).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/ws/token", method: .post, headers: Self.bearer(token)).status == .ok)
            // A session may hand out a code for another device.
            #expect(try await client.execute(uri: "/api/v1/auth/codes", method: .post, headers: Self.bearer(token)).status == .created)

            let out = try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: Self.bearer(token))
            #expect(out.status == .noContent)
            let after = try await client.execute(uri: "/api/v1/settings", method: .get, headers: Self.bearer(token))
            #expect(after.status == .unauthorized)
            // The key itself is not ended by a logout.
            #expect(try await client.api(.get, "/api/v1/settings").status == .ok)
        }
    }

    @Test("POST /auth/login with the API key gives a session; a wrong key is 401 and counts toward the limit")
    func loginWithKey() async throws {
        try await withApp(configure: { $0.authFailuresPerMinute = 3 }) { client, _ in
            let ok = try await Self.login(client, #"{"api_key":"\#(TestApp.apiKey)"}"#)
            #expect(ok.status == .ok)
            let token = try #require(try ok.json()["token"] as? String)
            #expect(try await client.execute(uri: "/api/v1/settings", method: .get, headers: Self.bearer(token)).status == .ok)
            for _ in 0..<3 {
                #expect(try await Self.login(client, #"{"api_key":"wrong-key-0123456789"}"#).status == .unauthorized)
            }
            let limited = try await Self.login(client, #"{"code":"0000"}"#)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            // The right key and the live session are never refused by the limit.
            #expect(try await Self.login(client, #"{"api_key":"\#(TestApp.apiKey)"}"#).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/settings", method: .get, headers: Self.bearer(token)).status == .ok)
            // Bad shapes are 422, never 500.
            #expect(try await Self.login(client, #"{}"#).status == .unprocessableContent)
            #expect(try await Self.login(client, #"{"code":"a","api_key":"b"}"#).status == .unprocessableContent)
        }
    }

    @Test("a login code expires after 5 minutes and a session after 12 hours (injected clock)")
    func expiry() async throws {
        let clock = ManualTestClock()
        try await withApp(clock: clock) { client, _ in
            let code = try #require(try await client.api(.post, "/api/v1/auth/codes").json()["code"] as? String)
            clock.advance(seconds: 5 * 60 + 1)
            #expect(try await Self.login(client, #"{"code":"\#(code)"}"#).status == .unauthorized)

            let fresh = try #require(try await client.api(.post, "/api/v1/auth/codes").json()["code"] as? String)
            clock.advance(seconds: 4 * 60)
            let token = try #require(try await Self.login(client, #"{"code":"\#(fresh)"}"#).json()["token"] as? String)
            clock.advance(seconds: 11 * 3600)
            #expect(try await client.execute(uri: "/api/v1/settings", method: .get, headers: Self.bearer(token)).status == .ok)
            clock.advance(seconds: 3600 + 1)
            #expect(try await client.execute(uri: "/api/v1/settings", method: .get, headers: Self.bearer(token)).status == .unauthorized)
        }
    }

    @Test("every response, the dashboard page and its assets included, sends Referrer-Policy: no-referrer")
    func referrerPolicy() async throws {
        try await withApp { client, _ in
            for (uri, headers) in [("/", HTTPFields()), ("/assets/app.js", [:]), ("/assets/nope.js", [:]),
                                   ("/api/v1/settings", authHeaders), ("/api/v1/settings", [:]), ("/health", [:])] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri) \(response.status)")
            }
        }
    }

    @Test("/ready without credentials names the failing checks only; with the key or a session it shows their details")
    func readyDetails() async throws {
        try await withApp { client, components in
            components.readiness.register("broker_probe") {
                throw ReadinessFailure("order 3f2a-AAPL-123 unresolved: broker said 'account VA0001 locked'")
            }
            let anonymous = try await client.execute(uri: "/ready", method: .get)
            #expect(anonymous.status == .serviceUnavailable)
            #expect(try anonymous.json()["status"] as? String == "not_ready")
            #expect(try (anonymous.json()["failing"] as? [String])?.contains("broker_probe") == true)
            for leak in ["3f2a", "AAPL", "VA0001", "detail", "sqlite"] {
                #expect(!anonymous.text.contains(leak), "\(leak) in \(anonymous.text)")
            }
            let wrongKey = try await client.execute(uri: "/ready", method: .get, headers: [.authorization: "Bearer nope-nope"])
            #expect(!wrongKey.text.contains("VA0001"))

            let detailed = try await client.api(.get, "/ready")
            #expect(detailed.status == .serviceUnavailable)
            #expect(detailed.text.contains("VA0001"))
            let token = try #require(try await Self.login(client, #"{"api_key":"\#(TestApp.apiKey)"}"#).json()["token"] as? String)
            #expect(try await client.execute(uri: "/ready", method: .get, headers: Self.bearer(token)).text.contains("VA0001"))
        }
    }

    @Test("data folder 0700; database, -wal, -shm and api_key 0600, also when they existed with 0755/0644")
    func fileModes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ta-modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let keyFile = directory.appendingPathComponent("api_key")
        try Data((String(repeating: "ab", count: 32) + "\n").utf8).write(to: keyFile)
        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        let database = directory.appendingPathComponent("trading-assistant.sqlite")
        _ = fm.createFile(atPath: database.path, contents: nil, attributes: [.posixPermissions: 0o644])
        @Sendable func mode(_ url: URL) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(mode(directory) == 0o755)

        try await withApp(configure: {
            $0.dataDirectory = directory.path
            $0.databaseURL = nil
            $0.apiKey = nil
        }) { client, components in
            #expect(components.apiKey.key == String(repeating: "ab", count: 32))
            let withStoredKey: HTTPFields = [HTTPField.Name("X-API-Key")!: components.apiKey.key]
            let settings = try await client.api(.get, "/api/v1/settings", headers: withStoredKey)
            #expect(settings.status == .ok)
            #expect(mode(directory) == 0o700)
            #expect(mode(keyFile) == 0o600)
            #expect(mode(database) == 0o600)
            for suffix in ["-wal", "-shm"] {
                let file = URL(fileURLWithPath: database.path + suffix)
                #expect(FileManager.default.fileExists(atPath: file.path), "\(suffix) exists in WAL mode")
                #expect(mode(file) == 0o600, "\(suffix)")
            }
        }
        // A folder created by the server itself.
        let fresh = directory.appendingPathComponent("nested/data")
        try await withApp(configure: { $0.dataDirectory = fresh.path; $0.databaseURL = nil; $0.apiKey = nil }) { _, _ in
            #expect(mode(fresh) == 0o700)
            #expect(mode(fresh.appendingPathComponent("api_key")) == 0o600)
            #expect(mode(fresh.appendingPathComponent("trading-assistant.sqlite")) == 0o600)
        }
    }

    @Test("at trace level the SQL log never shows the settings document (the Discord webhook token)")
    func traceLogRedactsSettings() async throws {
        let sink = LogSink.memory()
        try await withApp(configure: { $0.logLevel = .trace; $0.logFormat = .json }, logSink: sink) { client, _ in
            let patched = try await client.api(.patch, "/api/v1/settings", json: #"{"discord":{"webhook_url":"\#(DiscordFake.discordURL)","enabled":false}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
        }
        let log = sink.lines.joined(separator: "\n")
        #expect(log.contains("Executing query"), "trace level logs SQL")
        #expect(log.contains("REDACTED: settings document"))
        #expect(!log.contains(DiscordFake.token))
    }

    @Test("the redactor catches secrets JSON-escaped (once and twice), percent-encoded, and Discord webhook tokens by shape")
    func redactorEscapedForms() {
        let secret = #"s3cr/et"quote\back+plus"#
        let redactor = SecretRedactor(secrets: [secret])
        let forms = [
            secret,
            #"s3cr\/et\"quote\\back+plus"#,  // JSON, slash escaped
            #"s3cr/et\"quote\\back+plus"#,  // JSON, slash as is
            #"s3cr\\\/et\\\"quote\\\\back+plus"#,  // JSON inside JSON
            "s3cr%2Fet%22quote%5Cback%2Bplus",  // percent-encoded
            "s3cr%2fet%22quote%5cback%2bplus",  // lower-case escapes
        ]
        for form in forms {
            let out = redactor.redact("before \(form) after")
            #expect(out == "before [REDACTED] after", "\(form) → \(out)")
        }
        let webhook = SecretRedactor(secrets: [])
        for line in [
            "url=https://discord.com/api/webhooks/123456789012345678/\(DiscordFake.token)",
            #"{"u":"https:\/\/discord.com\/api\/webhooks\/123456789012345678\/\#(DiscordFake.token)"}"#,
            #"{"u":"https:\\\/\\\/discord.com\\\/api\\\/webhooks\\\/123456789012345678\\\/\#(DiscordFake.token)"}"#,
            "u=https%3A%2F%2Fdiscord.com%2Fapi%2Fwebhooks%2F123456789012345678%2F\(DiscordFake.token)",
        ] {
            let out = webhook.redact(line)
            #expect(!out.contains(DiscordFake.token), "\(out)")
            #expect(out.contains("123456789012345678"), "the webhook id stays for debugging")
        }
        #expect(webhook.redact("https://discord.com/api/webhooks/1/****") == "https://discord.com/api/webhooks/1/****")
    }

    @Test("WebSocket Origin: scheme, host and port exact (default ports normalised); Host must name this server")
    func webSocketOriginAndHost() {
        let allowed: Set<String> = ["https://desk.example.com", "http://localhost:5173"]
        func origin(_ origin: String, _ host: String?) -> Bool {
            WebSocketController.originAllowed(origin, host: host, allowedOrigins: allowed)
        }
        #expect(origin("http://127.0.0.1:8000", "127.0.0.1:8000"))
        #expect(!origin("http://127.0.0.1:9000", "127.0.0.1:8000"), "other port")
        #expect(!origin("http://127.0.0.1", "127.0.0.1:8000"), "no port means 80")
        #expect(origin("https://desk.example.com", "127.0.0.1:8000"))
        #expect(origin("https://desk.example.com:443", "127.0.0.1:8000"), "443 is https's default")
        #expect(!origin("http://desk.example.com", "127.0.0.1:8000"), "other scheme")
        #expect(!origin("https://desk.example.com:8443", "127.0.0.1:8000"), "other port")
        #expect(!origin("https://desk.example.com.evil.net", "127.0.0.1:8000"))
        #expect(origin("https://proxy.example", "proxy.example"), "a TLS proxy: no port in Host means the scheme's default")
        #expect(!origin("http://proxy.example:8080", "proxy.example"))
        #expect(origin("http://[::1]:8000", "[::1]:8000"))
        #expect(!origin("null", "127.0.0.1:8000"))
        // Non-browser clients (no browser page sends a ws: origin) name the host, often without a port.
        #expect(origin("ws://localhost", "localhost:8000"))
        #expect(!origin("ws://evil.example", "localhost:8000"))

        func host(_ host: String?, bind: String = "127.0.0.1") -> Bool {
            WebSocketController.hostAllowed(host, bindHost: bind, allowedOrigins: allowed)
        }
        #expect(host("127.0.0.1:8000"))
        #expect(host("localhost:8000"))
        #expect(host("[::1]:8000"))
        #expect(host("192.168.1.20:8000", bind: "0.0.0.0"), "an IP literal cannot be rebound")
        #expect(host("desk.example.com"))
        #expect(host("trading.lan:8000", bind: "trading.lan"))
        #expect(!host("evil.example"))
        #expect(!host("evil.example:8000"))
        #expect(!host("127.0.0.1.evil.example:8000"))
    }

    @Test("repeated subscribes cannot grow a client's pending snapshot past its bound")
    func subscribeSnapshotBounded() {
        let hub = WebSocketHub(bus: EventBus())
        let client = hub.connect()
        defer { hub.disconnect(client, dropped: false) }
        let frames = (0..<700).map { "frame-\($0)" }
        for _ in 0..<1_000 {
            #expect(hub.sendFirst(frames, to: client) == 200)
        }
        #expect(hub.pendingSnapshot(client) == WebSocketHub.maxSnapshotSymbols)
        hub.sendFirst(["one"], to: client)
        #expect(hub.pendingSnapshot(client) == 1)
    }
}
