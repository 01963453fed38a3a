import Foundation
import HummingbirdWSClient
import Logging
import Polygon
import Server
import TradingDomain
import TradingEngine
import Synchronization

/// `trading-assistant bench`: measures the market-data path and prints figures (never a pass/fail
/// on the clock). Two parts:
/// 1. Ingest on one thread: Polygon frames parsed → quote cache updated → price events fanned out
///    to the mailboxes of 100 WebSocket clients (coalesced per symbol).
/// 2. Tick → WebSocket frame latency on loopback: the real server with 100 connected clients;
///    each injected tick carries a unique price, and each client looks up when it was injected.
public enum MarketBenchmark {
    public struct Report: Sendable {
        public var lines: [String] = []
        /// The figures `bench --json` prints, in order: key and JSON value text (docs/performance.md).
        public var figures: [(key: String, json: String)] = []

        mutating func figure(_ key: String, _ value: Double) {
            figures.append((key, value.isFinite ? String(format: "%.3f", value) : "null"))
        }

        mutating func figure(_ key: String, _ text: String) {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            figures.append((key, "\"\(escaped)\""))
        }

        /// One JSON object with every figure.
        public var json: String {
            "{" + figures.map { "\"\($0.key)\":\($0.json)" }.joined(separator: ",") + "}"
        }
    }

    public static func machine() -> String {
        let info = ProcessInfo.processInfo
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "other"
        #endif
        return "\(info.activeProcessorCount) cores, \(info.physicalMemory / 1_048_576) MiB, Linux \(arch), release build"
    }

    public static func run(ticks: Int = 500_000, symbols: Int = 500, clients: Int = 100, latencySeconds: Int = 10) async throws -> Report {
        var report = Report()
        report.lines.append("machine: \(machine())")
        report.figure("machine", machine())
        report.figure("rss_mib_idle", Double(residentMegabytes()))
        ingest(ticks: ticks, symbols: symbols, clients: clients, into: &report)
        report.lines += try await latency(clients: clients, seconds: latencySeconds, into: &report)
        report.lines += try await AlertBenchmark.run(into: &report)
        report.lines.append("resident memory: \(residentMegabytes()) MiB")
        return report
    }

    // MARK: 1. ingest

    static func ingest(ticks: Int, symbols: Int, clients: Int, into report: inout Report) {
        let names = (0..<symbols).map { "S\($0)" }
        let perFrame = 10
        // Pre-built frames, as they arrive from Polygon (batched trades).
        let frames: [String] = stride(from: 0, to: ticks, by: perFrame).map { start in
            let elements = (start..<min(start + perFrame, ticks)).map { index in
                let cents = 10_000 + index % 5_000
                return #"{"ev":"T","sym":"\#(names[index % symbols])","i":"\#(index)","x":4,"p":\#(cents / 100).\#(String(format: "%02d", cents % 100)),"s":100,"t":\#(1_780_000_000_000 + Int64(index)),"q":\#(index),"z":3}"#
            }
            return "[" + elements.joined(separator: ",") + "]"
        }
        // Parsing alone, both paths on the same frames in the same run.
        func parseNanos(_ parse: (String) -> PolygonFrame) -> Double {
            var events = 0
            let start = ContinuousClock.now
            for frame in frames { events += parse(frame).events.count }
            return (ContinuousClock.now - start).seconds / Double(max(events, 1)) * 1e9
        }
        let fastNanos = parseNanos(PolygonStreamParser.parse(frame:))
        let foundationNanos = parseNanos(PolygonStreamParser.parseWithFoundation(frame:))

        let bus = EventBus()
        let hub = WebSocketHub(bus: bus)
        for _ in 0..<clients {
            let client = hub.connect()
            _ = hub.subscribe(client, topics: ["prices"], on: true)
        }
        let cache = QuoteCache(clock: SystemWallClock(), bus: bus, staleAfter: 30, provider: "bench")
        var parseTime = Duration.zero
        let start = ContinuousClock.now
        for frame in frames {
            let parseStart = ContinuousClock.now
            let parsed = PolygonStreamParser.parse(frame: frame)
            parseTime += ContinuousClock.now - parseStart
            cache.receive(parsed.events)
        }
        let elapsed = ContinuousClock.now - start
        let rate = Double(ticks) / elapsed.seconds
        // Encoding cost of one price frame (paid once per change, by the first client writer to need it).
        let quote = cache.quote(for: Symbol(trusted: "S0"))!
        let encodeCount = 50_000
        let encodeStart = ContinuousClock.now
        for _ in 0..<encodeCount { _ = EventFrames.priceFrame(quote, stale: false, ts: Date()) }
        let encodeMicros = (ContinuousClock.now - encodeStart).seconds / Double(encodeCount) * 1e6
        report.figure("ingest_ticks_per_s", rate)
        report.figure("parse_ns_per_event", fastNanos)
        report.figure("parse_ns_per_event_foundation", foundationNanos)
        report.lines += [
            "ingest: \(ticks) ticks over \(symbols) symbols, \(perFrame) per frame, fanned out to \(clients) clients",
            String(format: "  %.0f ticks/s on one thread (%.2f µs per tick: parse %.2f µs, cache + fan-out %.2f µs)",
                   rate, elapsed.seconds / Double(ticks) * 1e6, parseTime.seconds / Double(ticks) * 1e6,
                   (elapsed - parseTime).seconds / Double(ticks) * 1e6),
            String(format: "  parse alone: %.0f ns per event byte-level, %.0f ns per event JSONDecoder (%.1f× faster)",
                   fastNanos, foundationNanos, foundationNanos / fastNanos),
            String(format: "  price frame encoding: %.2f µs per changed quote (once, shared by all clients)", encodeMicros),
        ]
    }

    // MARK: 2. latency

    /// A feed the benchmark drives directly.
    final class InjectedFeed: MarketDataFeed, Sendable {
        let provider = "bench"
        let sink = Shared<(any MarketEventSink)?>(nil)
        func setSymbols(_ symbols: Set<Symbol>) async {}
        func status() -> FeedStatus { FeedStatus(provider: provider, state: .connected, lastMessageAt: Date()) }
        func run(sink: any MarketEventSink) async throws {
            self.sink.withLock { $0 = sink }
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
        }
        func push(_ events: [MarketEvent]) {
            sink.withLock { $0 }?.receive(events)
        }
    }

    static func latency(clients: Int, seconds: Int, into report: inout Report) async throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ta-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = AppConfig()
        config.port = 0
        config.dataDirectory = directory.path
        config.apiKey = "bench-key-0123456789abcdef"
        config.logLevel = .error
        let feed = InjectedFeed()
        let ports = AsyncStream<String>.makeStream()
        let (app, components) = try await buildApplication(
            config: config, logSink: .memory(), marketFeed: feed, announce: { ports.continuation.yield($0) })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var loginURL = ""
        for await line in ports.stream { loginURL = line; break }
        guard let port = URLComponents(string: String(loginURL[loginURL.range(of: "http://")!.lowerBound...]))?.port else {
            return ["latency: server did not start"]
        }
        let symbol = Symbol(trusted: "BENCH")
        _ = try await components.market.watchlist.add(symbol)

        let sent = Shared<[String: ContinuousClock.Instant]>([:])
        let samples = Shared<[Double]>([])
        let connected = Shared(0)
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let clientTasks = (0..<clients).map { _ in
            Task {
                let token = components.webSocketTokens.issue().token
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/api/v1/ws?token=\(token)", logger: logger) { inbound, outbound, _ in
                    try await outbound.write(.text(#"{"action":"subscribe","topics":["prices"]}"#))
                    connected.withLock { $0 += 1 }
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
            }
        }
        for _ in 0..<500 where connected.withLock({ $0 }) < clients { try await Task.sleep(for: .milliseconds(20)) }
        let ready = connected.withLock { $0 }
        // Inject ticks at 200/s with unique prices.
        let total = seconds * 200
        for index in 0..<total {
            let price = Decimal(100) + Decimal(index) / 10_000
            let key = "\(price)"
            sent.withLock { $0[key] = .now }
            feed.push([.trade(Trade(symbol: symbol, price: price, size: 1, time: Date()))])
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(500))
        for task in clientTasks { task.cancel() }
        let sorted = samples.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { return ["latency: no samples (\(ready) clients connected)"] }
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let stats = components.market.cache.eventCount
        report.figure("tick_to_frame_p99_ms", percentile(0.99))
        return [
            "latency: \(ready) WebSocket clients on loopback, \(total) ticks at 200/s, \(sorted.count) frames received (\(stats) events ingested)",
            String(format: "  tick → frame received: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                   percentile(0.5), percentile(0.99), percentile(0.999), sorted.last!),
        ]
    }

    static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kb / 1024
    }
}
