import Foundation
import Testing
import TestSupport

/// The outbox is durable: messages pending when the server is killed are delivered after restart.
@Suite("Outbox across a restart", .serialized)
struct OutboxRestartTests {
    static let key = "outbox-test-key-0123456789"

    @Test("killed (-9) while a Discord message is pending: it is delivered after the restart, once")
    func pendingSurvivesKill() async throws {
        let fake = DiscordFake()
        fake.defaultReply = .serverError(503)
        try await fake.start()
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        var env = [
            "TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path, "TA_API_KEY": Self.key,
            "TA_DISCORD_API_BASE": fake.baseURL,
        ]
        if case .postgres(let url) = database.location { env["DATABASE_URL"] = url }
        let headers = ["X-API-Key": Self.key, "Content-Type": "application/json"]

        // 1. Discord answers 503: the message stays pending (retried with backoff), then the server dies.
        let first = try ServerProcess(environment: env, directory: database.directory)
        try await first.waitUntilListening()
        _ = try RawHTTPConnection.request(port: first.port, "PATCH", "/api/v1/settings", headers: headers, body: """
            {"discord":{"webhook_url":"\(DiscordFake.discordURL)","enabled":true,"alert_types":["price_above"]}}
            """)
        _ = try RawHTTPConnection.request(port: first.port, "POST", "/api/v1/alerts", headers: headers,
            body: #"{"symbol":"AAPL","type":"price_above","threshold":1}"#)
        for _ in 0..<150 where fake.executions.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!fake.executions.isEmpty, "the first attempt reached Discord and failed")
        let pending = try RawHTTPConnection.request(port: first.port, "GET", "/api/v1/diag/outbox", headers: headers).json()
        #expect(pending["pending"] as? Int == 1)
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))

        // 2. Discord is healthy again; the restarted server delivers the pending message.
        fake.defaultReply = .noContent
        let before = fake.executions.count
        let second = try ServerProcess(environment: env, directory: database.directory)
        try await second.waitUntilListening()
        var delivered = 0
        for _ in 0..<150 {
            delivered = try RawHTTPConnection.request(port: second.port, "GET", "/api/v1/diag/outbox", headers: headers)
                .json()["delivered"] as? Int ?? 0
            if delivered == 1 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(delivered == 1)
        try await Task.sleep(for: .seconds(2))
        #expect(fake.executions.count == before + 1, "delivered once after the restart, no repeats")
        let triggers = try RawHTTPConnection.request(port: second.port, "GET", "/api/v1/alerts/triggers", headers: headers)
            .json()["items"] as? [[String: Any]] ?? []
        #expect(triggers.count == 1, "the alert did not fire again")
        await second.stop()
        await fake.stop()
        for server in [first, second] {
            #expect(!server.stderr.contains(DiscordFake.token), "the webhook token never reaches the log")
            #expect(!server.stderr.contains(Self.key))
        }
    }
}
