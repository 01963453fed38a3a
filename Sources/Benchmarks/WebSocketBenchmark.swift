import Foundation
import HummingbirdWSClient
import Logging
import Server
import TradingDomain
import TradingEngine
import Synchronization

/// `trading-assistant bench` part 2: tick → WebSocket frame latency on loopback, with the real
/// server and Swift WebSocket clients in the same process (a Python client saturates first).
/// Each injected tick carries a unique price; each client looks up when it was injected.
/// Two runs: `clients` readers (100 by default) at 200 ticks/s, then 1,000 clients — one of them
/// stalled (subscribed, never reading) — at 50 ticks/s (docs/performance.md).
enum WebSocketBenchmark {
    struct Run {
        var connected = 0
        var samples: [Double] = []
        var rssBefore = 0
        var rssConnected = 0
        var ingested = 0

        func percentile(_ p: Double) -> Double {
            samples.isEmpty ? .nan : samples[min(samples.count - 1, Int(Double(samples.count) * p))]
        }
    }

    static func run(clients: Int, seconds: Int, into report: inout MarketBenchmark.Report) async throws -> [String] {
        var lines: [String] = []
        let small = try await measure(clients: clients, stalled: 0, seconds: seconds, ticksPerSecond: 200)
        report.figure("tick_to_frame_p99_ms", small.percentile(0.99))
        lines += [
            "latency: \(small.connected) WebSocket clients on loopback, \(seconds * 200) ticks at 200/s, \(small.samples.count) frames received (\(small.ingested) events ingested)",
            String(format: "  tick → frame received: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                   small.percentile(0.5), small.percentile(0.99), small.percentile(0.999), small.samples.last ?? .nan),
        ]
        let big = try await measure(clients: 999, stalled: 1, seconds: seconds, ticksPerSecond: 50)
        let perClient = Double(big.rssConnected - big.rssBefore) * 1024 / Double(max(big.connected, 1))
        report.figure("ws_clients", Double(big.connected))
        report.figure("ws_tick_to_frame_p99_ms_1000", big.percentile(0.99))
        report.figure("ws_kib_per_client", perClient)
        lines += [
            "WebSocket clients: \(big.connected) connected (one of them stalled: subscribed, never reading), \(seconds * 50) ticks at 50/s, \(big.samples.count) frames received",
            String(format: "  tick → frame received by the readers: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms; %.0f KiB resident per client (server and client side)",
                   big.percentile(0.5), big.percentile(0.99), big.percentile(0.999), perClient),
        ]
        return lines
    }

    static func measure(clients: Int, stalled: Int, seconds: Int, ticksPerSecond: Int) async throws -> Run {
        var run = Run()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ta-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = AppConfig()
        config.port = 0
        config.dataDirectory = directory.path
        config.apiKey = "bench-key-0123456789abcdef"
        config.logLevel = .error
        config.maxWebSocketClients = max(config.maxWebSocketClients, clients + stalled)
        let feed = MarketBenchmark.InjectedFeed()
        let ports = AsyncStream<String>.makeStream()
        let (app, components) = try await buildApplication(
            config: config, logSink: .memory(), marketFeed: feed, announce: { ports.continuation.yield($0) })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var loginURL = ""
        for await line in ports.stream { loginURL = line; break }
        guard let range = loginURL.range(of: "http://"),
              let port = URLComponents(string: String(loginURL[range.lowerBound...]))?.port else { return run }
        let symbol = Symbol(trusted: "BENCH")
        _ = try await components.market.watchlist.add(symbol)
        run.rssBefore = MarketBenchmark.residentMegabytes()

        let sent = Shared<[String: ContinuousClock.Instant]>([:])
        let samples = Shared<[Double]>([])
        let connected = Shared(0)
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let subscribe = #"{"action":"subscribe","topics":["prices"]}"#
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<(clients + stalled) {
            let reads = index >= stalled
            let token = components.webSocketTokens.issue().token
            tasks.append(Task {
                _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/v1/ws?token=\(token)", logger: logger) { inbound, outbound, _ in
                    try await outbound.write(.text(subscribe))
                    connected.withLock { $0 += 1 }
                    guard reads else {
                        // Stalled: never reads; the server must not let it slow the others.
                        while !Task.isCancelled { try await Task.sleep(for: .seconds(1)) }
                        return
                    }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, text.hasPrefix(#"{"type":"price""#),
                              let range = text.range(of: #""last":"#) else { continue }
                        let now = ContinuousClock.now
                        let value = text[range.upperBound...].prefix { $0 != "," }
                        if let at = sent.withLock({ $0[String(value)] }) {
                            samples.withLock { $0.append((now - at).seconds * 1000) }
                        }
                    }
                }
            })
            // Connect in waves so the accept queue is not flooded.
            if index % 100 == 99 { try await Task.sleep(for: .milliseconds(50)) }
        }
        for _ in 0..<1_500 where connected.withLock({ $0 }) < clients + stalled { try await Task.sleep(for: .milliseconds(20)) }
        run.connected = connected.withLock { $0 }
        run.rssConnected = MarketBenchmark.residentMegabytes()
        // Inject ticks with unique prices.
        let total = seconds * ticksPerSecond
        let pause = Duration.microseconds(1_000_000 / ticksPerSecond)
        for index in 0..<total {
            let price = Decimal(100) + Decimal(index) / 10_000
            let key = "\(price)"
            sent.withLock { $0[key] = .now }
            feed.push([.trade(Trade(symbol: symbol, price: price, size: 1, time: Date()))])
            try await Task.sleep(for: pause)
        }
        try await Task.sleep(for: .milliseconds(500))
        for task in tasks { task.cancel() }
        run.samples = samples.withLock { $0 }.sorted()
        run.ingested = components.market.cache.eventCount
        return run
    }
}
