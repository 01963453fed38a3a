import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOCore
import Synchronization
import Testing
import TradingDomain
import TradingEngine

/// The WebSocket hub end to end on a live loopback server with the simulated market.
@Suite("WebSocket")
struct WebSocketTests {
    /// Frames received by a client, parsed.
    final class Received: @unchecked Sendable {
        let lock = NSLock()
        var frames: [[String: Any]] = []
        func add(_ text: String) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return }
            lock.withLock { frames.append(object) }
        }
        func of(type: String) -> [[String: Any]] { lock.withLock { frames.filter { $0["type"] as? String == type } } }
        func symbols() -> Set<String> {
            Set(of(type: "price").compactMap { ($0["data"] as? [String: Any])?["symbol"] as? String })
        }
        /// Symbols with a price frame after their first one (the subscribe snapshot) whose price or
        /// time changed: live ticks, not the snapshot repeated.
        func liveSymbols() -> Set<String> {
            var first: [String: String] = [:]
            var live: Set<String> = []
            for frame in of(type: "price") {
                guard let data = frame["data"] as? [String: Any], let symbol = data["symbol"] as? String else { continue }
                let stamp = "\(data["last"] ?? "-")@\(data["as_of"] ?? "-")"
                if let seen = first[symbol] {
                    if seen != stamp { live.insert(symbol) }
                } else {
                    first[symbol] = stamp
                }
            }
            return live
        }
    }

    func token(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.api(.post, "/api/v1/ws/token")
        #expect(response.status == .ok)
        return try #require(try response.json()["token"] as? String)
    }

    @Test("offline: a client subscribed to prices gets price events for every watchlist symbol within 2 s")
    func pricesForEveryWatchlistSymbol() async throws {
        try await withApp(configure: { $0.simulation.ticksPerSecond = 20 }, testing: .live) { client, _ in
            // The clock starts once the server is up and its market is live (start-up is measured elsewhere).
            for _ in 0..<100 where try await client.execute(uri: "/ready", method: .get).status != .ok {
                try await Task.sleep(for: .milliseconds(100))
            }
            let token = try await token(client)
            let received = Received()
            let started = ContinuousClock.now
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["prices"]}"#))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    received.add(text)
                    if received.liveSymbols().isSuperset(of: Watchlist.defaultSymbols.map(\.rawValue)) { break }
                    if ContinuousClock.now - started > .seconds(2) { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.symbols().isSuperset(of: Watchlist.defaultSymbols.map(\.rawValue)), "\(received.symbols())")
            #expect(received.liveSymbols().isSuperset(of: Watchlist.defaultSymbols.map(\.rawValue)),
                    "every symbol ticks after the snapshot: live \(received.liveSymbols().sorted())")
            #expect(ContinuousClock.now - started < .seconds(2))
            let price = try #require(received.of(type: "price").first)
            let data = try #require(price["data"] as? [String: Any])
            #expect(data["source"] as? String != nil)
            #expect(data["stale"] as? Bool == false)
            #expect((price["ts"] as? String)?.hasSuffix("Z") == true)
            #expect(received.of(type: "status").first.flatMap { ($0["data"] as? [String: Any])?["kind"] as? String } == "connected")
        }
    }

    @Test("a stalled client (subscribed, never reading) does not hold up a reading client")
    func stalledClientDoesNotHoldUpOthers() async throws {
        try await withApp(configure: { $0.simulation.ticksPerSecond = 50 }, testing: .live) { client, _ in
            let stalledToken = try await token(client)
            let readerToken = try await token(client)
            let release = AsyncStream<Void>.makeStream()
            let stalledUp = AsyncStream<Void>.makeStream()
            // The stalled client subscribes and then never reads its inbound stream (so its socket
            // backs up) until the reader is done.
            async let stalled = client.ws("/api/v1/ws?token=\(stalledToken)") { _, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["prices"]}"#))
                stalledUp.continuation.yield()
                for await _ in release.stream { break }
                try await outbound.close(.normalClosure, reason: nil)
            }
            for await _ in stalledUp.stream { break }
            let received = Received()
            let clientsWhileReading = Mutex(0)
            try await client.ws("/api/v1/ws?token=\(readerToken)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["prices"]}"#))
                let deadline = ContinuousClock.now + .seconds(10)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    if received.liveSymbols().isSuperset(of: Watchlist.defaultSymbols.map(\.rawValue)) || ContinuousClock.now > deadline {
                        break
                    }
                }
                let diag = try await client.api(.get, "/api/v1/diag/ws").value()
                clientsWhileReading.withLock { $0 = diag["clients"]?.decimal == 2 ? 2 : -1 }
                try await outbound.close(.normalClosure, reason: nil)
            }
            release.continuation.finish()
            _ = try await stalled
            #expect(clientsWhileReading.withLock { $0 } == 2, "the stalled client stays connected while the other reads")
            #expect(received.liveSymbols().isSuperset(of: Watchlist.defaultSymbols.map(\.rawValue)),
                    "the reader gets live prices of every symbol: \(received.liveSymbols().sorted())")
        }
    }

    @Test("a symbol added to the watchlist starts streaming without a restart")
    func liveWatchlistChange() async throws {
        try await withApp(testing: .live) { client, _ in
            let token = try await token(client)
            let received = Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["prices"]}"#))
                _ = try await client.api(.post, "/api/v1/watchlist", json: #"{"symbol":"NFLX"}"#)
                let deadline = ContinuousClock.now + .seconds(5)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    if received.liveSymbols().contains("NFLX") || ContinuousClock.now > deadline { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.symbols().contains("NFLX"))
            #expect(received.liveSymbols().contains("NFLX"), "NFLX ticks live after its first price")
        }
    }

    @Test("a token opens one socket only: a reused or unknown token is closed with 1008")
    func singleUseTokens() async throws {
        try await withApp(testing: .live) { client, _ in
            let token = try await token(client)
            let first = try await client.ws("/api/v1/ws?token=\(token)") { _, outbound, _ in
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(first?.closeCode != .policyViolation)
            let reused = try await client.ws("/api/v1/ws?token=\(token)") { inbound, _, _ in
                for try await _ in inbound {}
            }
            #expect(reused?.closeCode == .policyViolation)
            let unknown = try await client.ws("/api/v1/ws?token=nope") { inbound, _, _ in
                for try await _ in inbound {}
            }
            #expect(unknown?.closeCode == .policyViolation)
        }
    }

    @Test("a token expires after 60 s")
    func tokenExpiry() async throws {
        let clock = ManualTestClock()
        try await withApp(clock: clock, testing: .live) { client, _ in
            let token = try await token(client)
            clock.advance(seconds: 61)
            let closed = try await client.ws("/api/v1/ws?token=\(token)") { inbound, _, _ in
                for try await _ in inbound {}
            }
            #expect(closed?.closeCode == .policyViolation)
        }
    }

    @Test("a foreign Origin is refused before the upgrade; an allowed one connects")
    func originCheck() async throws {
        try await withApp(configure: { $0.corsOrigins = ["https://desk.example.com"] }, testing: .live) { client, _ in
            var foreign = WebSocketClientConfiguration()
            foreign.additionalHeaders = [.origin: "https://evil.example.net"]
            let token1 = try await token(client)
            await #expect(throws: (any Error).self) {
                try await client.ws("/api/v1/ws?token=\(token1)", configuration: foreign) { _, _, _ in }
            }
            var allowed = WebSocketClientConfiguration()
            allowed.additionalHeaders = [.origin: "https://desk.example.com"]
            let token2 = try await token(client)
            let close = try await client.ws("/api/v1/ws?token=\(token2)", configuration: allowed) { _, outbound, _ in
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(close?.closeCode != .policyViolation)
        }
    }

    @Test("unknown topics and malformed messages get an error status, not a disconnect")
    func badMessages() async throws {
        try await withApp(testing: .live) { client, _ in
            let token = try await token(client)
            let received = Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["weather"]}"#))
                try await outbound.write(.text("not json"))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    let errors = received.of(type: "status").filter { ($0["data"] as? [String: Any])?["kind"] as? String == "error" }
                    if errors.count >= 2 { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let errors = received.of(type: "status").compactMap { $0["data"] as? [String: Any] }.filter { $0["kind"] as? String == "error" }
            #expect(errors.count == 2)
            #expect((errors.first?["message"] as? String)?.contains("weather") == true)
        }
    }
}

/// A clock the test moves by hand (never backwards).
final class ManualTestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()

    func now() -> Date { lock.withLock { current } }

    func advance(seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
