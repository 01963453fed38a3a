import Foundation
import HTTPTypes
import NIOCore
@testable import Server
import Testing
import TestSupport

@Suite("Security")
struct SecurityTests {
    /// A concrete request path for a route pattern (`{id}` → a UUID, `{symbol}` → AAPL).
    static func concrete(_ pattern: String) -> String {
        pattern.split(separator: "/").map { part in
            guard part.hasPrefix("{") else { return String(part) }
            return part.contains("symbol") ? "AAPL" : "00000000-0000-4000-8000-000000000000"
        }.joined(separator: "/").replacingOccurrences(of: "//", with: "/")
    }

    @Test("every /api/v1 route (and /metrics) rejects a missing and a wrong key with 401 problem+json")
    func everyRouteNeedsTheKey() async throws {
        // Many failures from one address on purpose: lift the failed-auth limit for this test.
        try await withApp(configure: { $0.authFailuresPerMinute = 100_000 }) { client, components in
            // The WebSocket upgrade takes a single-use token instead (see WebSocketTests).
            let apiRoutes = components.routes.entries.filter {
                ($0.path.hasPrefix("/api/v1") && $0.path != "/api/v1/ws") || $0.path == "/metrics"
            }
            #expect(apiRoutes.contains { $0.path == "/metrics" })
            #expect(apiRoutes.count >= 10)
            for route in apiRoutes {
                let path = "/" + Self.concrete(route.path).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                let body = [.post, .put, .patch].contains(route.method) ? ByteBuffer(string: "{}") : nil
                let missing = try await client.execute(uri: path, method: route.method, headers: [.contentType: "application/json"], body: body)
                #expect(missing.status == .unauthorized, "\(route.method) \(path) without a key")
                #expect(missing.isProblem)
                let wrongHeaders: HTTPFields = [HTTPField.Name("X-API-Key")!: TestApp.apiKey + "x", .contentType: "application/json"]
                let wrong = try await client.execute(uri: path, method: route.method, headers: wrongHeaders, body: body)
                #expect(wrong.status == .unauthorized, "\(route.method) \(path) with a wrong key")
                let bearerWrong = try await client.execute(
                    uri: path, method: route.method, headers: [.authorization: "Bearer nope", .contentType: "application/json"], body: body)
                #expect(bearerWrong.status == .unauthorized)
            }
        }
    }

    @Test("repeated WRONG keys from one address get 429 with Retry-After; the right key is still 200")
    func failedAuthLimit() async throws {
        try await withApp(configure: { $0.authFailuresPerMinute = 5 }) { client, _ in
            for _ in 0..<5 {
                let wrong = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [.authorization: "Bearer nope"])
                #expect(wrong.status == .unauthorized)
            }
            let blocked = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.isProblem)
            #expect(try blocked.json()["code"] as? String == "too_many_auth_failures")
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
            // The right key is never refused by the limit.
            let right = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [.authorization: "Bearer \(TestApp.apiKey)"])
            #expect(right.status == .ok)
            // Public routes stay reachable.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test("25 requests without a key never lock the address out: the kill switch still works with the key")
    func missingKeyNeverLocksOut() async throws {
        try await withApp(configure: { $0.authFailuresPerMinute = 5 }) { client, _ in
            for _ in 0..<25 {
                let missing = try await client.execute(uri: "/api/v1/settings", method: .get)
                #expect(missing.status == .unauthorized)
            }
            let halted = try await client.api(.post, "/api/v1/risk/halt", json: #"{"reason":"lock-out test"}"#)
            #expect(halted.status == .ok, "\(halted.text)")
            let resumed = try await client.api(.post, "/api/v1/risk/resume", json: #"{"reason":"lock-out test done"}"#)
            #expect(resumed.status == .ok, "\(resumed.text)")
            // Still under the limit: the missing key counted nothing.
            let wrong = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test("the key works as a Bearer token and as X-API-Key; health and ready are public, ready's details need the key")
    func keyForms() async throws {
        try await withApp { client, _ in
            let bearer = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [.authorization: "Bearer \(TestApp.apiKey)"])
            #expect(bearer.status == .ok)
            let header = try await client.execute(uri: "/api/v1/settings", method: .get, headers: [HTTPField.Name("X-API-Key")!: TestApp.apiKey])
            #expect(header.status == .ok)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            // Ready once the database answers and the simulated market has ticked.
            var ready = try await client.execute(uri: "/ready", method: .get)
            for _ in 0..<50 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.execute(uri: "/ready", method: .get)
            }
            #expect(ready.status == .ok, "\(ready.text)")
            #expect(try ready.json()["status"] as? String == "ready")
            #expect(try ready.json()["failing"] as? [String] == [])
            #expect(!ready.text.contains("detail"), "no details without the key: \(ready.text)")
            let detailed = try await client.api(.get, "/ready")
            #expect(detailed.text.contains("\"database\""))
            #expect(detailed.text.contains("\"market_data\""))
            #expect(detailed.text.contains("\"detail\""))
        }
    }

    @Test("constant-time comparison is exact about content and length")
    func constantTimeCompare() {
        let key = Array("abcdef0123456789".utf8)
        #expect(APIKeyMiddleware.constantTimeEquals(key, key))
        #expect(!APIKeyMiddleware.constantTimeEquals(key, Array("abcdef012345678".utf8)))
        #expect(!APIKeyMiddleware.constantTimeEquals(key, Array("abcdef0123456789a".utf8)))
        #expect(!APIKeyMiddleware.constantTimeEquals(key, Array("Abcdef0123456789".utf8)))
        #expect(!APIKeyMiddleware.constantTimeEquals(key, []))
    }

    @Test("CORS: an allowed origin gets headers and a preflight; a foreign origin gets neither")
    func cors() async throws {
        try await withApp(configure: { $0.corsOrigins = ["https://desk.example.com"] }) { client, _ in
            let preflight = try await client.execute(uri: "/api/v1/settings", method: .options, headers: [
                .origin: "https://desk.example.com", .accessControlRequestMethod: "PATCH",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://desk.example.com")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("X-API-Key") == true)

            let foreign = try await client.execute(uri: "/api/v1/settings", method: .options, headers: [
                .origin: "https://evil.example.net", .accessControlRequestMethod: "PATCH",
            ])
            #expect(foreign.status == .forbidden)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)

            var headers = authHeaders
            headers[.origin] = "https://evil.example.net"
            let simple = try await client.execute(uri: "/api/v1/settings", method: .get, headers: headers)
            #expect(simple.headers[.accessControlAllowOrigin] == nil)
            headers[.origin] = "https://desk.example.com"
            let allowed = try await client.execute(uri: "/api/v1/settings", method: .get, headers: headers)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://desk.example.com")
        }
    }

    @Test("a generated key is stored with mode 0600 and reused on the next start")
    func generatedKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ta-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try APIKeyStore.resolve(configured: nil, dataDirectory: directory.path)
        #expect(first.generated)
        #expect(first.key.count == 64)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("api_key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try APIKeyStore.resolve(configured: nil, dataDirectory: directory.path)
        #expect(!second.generated)
        #expect(second.key == first.key)
        let configured = try APIKeyStore.resolve(configured: "configured-key-1234567", dataDirectory: directory.path)
        #expect(configured.key == "configured-key-1234567")
    }

    @Test("binding to a non-loopback address without an explicit key is refused")
    func nonLoopbackNeedsKey() async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        var config = TestApp.config(database: database, apiKey: nil)
        config.host = "0.0.0.0"
        await #expect(throws: ConfigError.self) {
            _ = try await buildApplication(config: config, logSink: .memory(), announce: { _ in })
        }
    }

    @Test("log lines never contain the API key or other secrets, and carry the request id")
    func logsAreRedacted() async throws {
        let sink = LogSink.memory()
        let tradierToken = "tradier-secret-token-ABCDEFG"
        try await withApp(configure: {
            $0.tradier.accessToken = tradierToken
            $0.tradier.accountID = "VA000000"
            $0.polygon.apiKey = "polygon-secret-key-XYZ123"
        }, logSink: sink) { client, components in
            components.logger.info("diagnostic \(tradierToken) and \(TestApp.apiKey)")
            try await client.api(.get, "/api/v1/settings")
            try await client.api(.post, "/api/v1/journal", json: #"{"notes": "\#(TestApp.apiKey)"}"#)
            _ = try await client.execute(uri: "/api/v1/settings?token=\(TestApp.apiKey)", method: .get, headers: authHeaders)
        }
        let lines = sink.lines
        #expect(lines.contains { $0.contains("request_id=") && $0.contains("path=/api/v1/settings") && $0.contains("status=200") })
        for line in lines {
            #expect(!line.contains(TestApp.apiKey), "\(line)")
            #expect(!line.contains(tradierToken), "\(line)")
            #expect(!line.contains("polygon-secret-key-XYZ123"), "\(line)")
        }
        #expect(lines.contains { $0.contains("[REDACTED]") })
    }
}

@Suite("Dashboard files")
struct DashboardFilesTests {
    @Test("the page, its script and style are public, with a Content-Security-Policy; other names are 404")
    func servesAssets() async throws {
        try await withApp { client, _ in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.text.contains(#"src="/assets/app.js""#))
            let script = try await client.execute(uri: "/assets/app.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(script.text.contains("textContent"), "user text goes in as text")
            #expect(!script.text.contains("innerHTML"), "never as HTML")
            #expect(try await client.execute(uri: "/assets/style.css", method: .get).headers[.contentType]?.hasPrefix("text/css") == true)
            let missing = try await client.execute(uri: "/assets/..%2Fopenapi.json", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test("installable: the page links the manifest; the manifest and the service worker are served at the root; the worker never stores API answers or credentialed requests")
    func installable() async throws {
        try await withApp { client, _ in
            #expect(try await client.execute(uri: "/", method: .get).text.contains(#"<link rel="manifest" href="/manifest.webmanifest">"#))
            let manifest = try await client.execute(uri: "/manifest.webmanifest", method: .get)
            #expect(manifest.status == .ok)
            #expect(manifest.headers[.contentType] == "application/manifest+json")
            let fields = try manifest.json()
            #expect(fields["start_url"] as? String == "/")
            #expect(fields["display"] as? String == "standalone")
            #expect((fields["icons"] as? [[String: Any]])?.first?["src"] as? String == "/assets/favicon.svg")
            #expect(try await client.execute(uri: "/assets/favicon.svg", method: .get).status == .ok, "the icon it names is served")

            let worker = try await client.execute(uri: "/sw.js", method: .get)
            #expect(worker.status == .ok)
            #expect(worker.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(worker.headers[.cacheControl] == "no-cache", "a new worker is picked up")
            // Every path it keeps is a dashboard file; no API route is among them.
            let shell = worker.text.components(separatedBy: "\"").filter { $0.hasPrefix("/") }
            #expect(shell.contains("/assets/app.js") && shell.contains("/"))
            #expect(!shell.contains { $0.hasPrefix("/api") || $0 == "/metrics" || $0 == "/ready" }, "\(shell)")
            #expect(worker.text.contains(#"request.headers.has("Authorization")"#), "credentialed requests go to the network")
            for path in shell where path.hasPrefix("/assets/") {
                #expect(try await client.execute(uri: path, method: .get).status == .ok, "the shell file \(path) exists")
            }
            // And every module of the dashboard is in it (a new one must be added to sw.js).
            let publicDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/Server/Public")
            let modules = try FileManager.default.contentsOfDirectory(atPath: publicDirectory.path)
                .filter { $0.hasSuffix(".js") && $0 != "sw.js" }
            #expect(!modules.isEmpty)
            for module in modules { #expect(shell.contains("/assets/\(module)"), "sw.js keeps \(module)") }
        }
    }
}

/// The harness itself: its secrets-in-logs check cannot be skipped by a test body that throws.
@Suite("Test harness")
struct HarnessTests {
    struct Marker: Error {}

    @Test("withApp reports a secret in the log even when the test body throws")
    func secretCheckRunsWhenBodyThrows() async {
        let sink = LogSink.memory()
        await withKnownIssue("the leak is reported although the body threw") {
            do {
                try await withApp(logSink: sink) { client, _ in
                    try await OrdersAPITests.waitReady(client)
                    sink.write("a line that leaks \(TestApp.apiKey)\n")
                    throw Marker()
                }
            } catch {
                #expect(error is Marker)
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("contains a secret") }
        }
    }
}
