import Foundation
import Testing
import TestSupport
import TradingDomain

/// The official `massive` Python client (PyPI) against our fake: proof that the fake speaks
/// Polygon's real protocol, so tests of our adapter against it mean something. Runs when
/// `TA_MASSIVE_CHECK=1` (CI installs the client and sets it; `pip install massive` to run locally).
@Suite("Polygon fake vs the official massive client")
struct MassiveClientTests {
    static let enabled = ProcessInfo.processInfo.environment["TA_MASSIVE_CHECK"] == "1"

    @Test("REST calls parse and a WebSocket subscription receives trades", .enabled(if: enabled))
    func officialClient() async throws {
        let fake = PolygonFake()
        fake.setPrice("AAPL", Decimal(string: "190.125")!, previousClose: 188)
        fake.setPrice("MSFT", 420, previousClose: 421)
        var settings = fake.settings
        settings.rangePageSize = 10
        fake.settings = settings
        try await fake.start()
        defer { Task { await fake.stop() } }

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/check-massive-client.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, fake.baseURL, "127.0.0.1:\(fake.port)", PolygonFake.validKey]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()

        // Once the Python client has subscribed, send it trades until it has what it needs.
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline {
            if fake.subscribedTopics.contains("T.AAPL") {
                fake.emitTrades([("AAPL", Decimal(string: "191.5")!)])
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "massive client failed:\n\(text)")
        #expect(text.contains(#""bars": 25"#))
        #expect(fake.received.contains { $0.contains("auth") && $0.contains(PolygonFake.validKey) }, "the client authenticated")
    }
}
