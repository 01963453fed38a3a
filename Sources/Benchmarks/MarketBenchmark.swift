import Foundation
import HummingbirdWSClient
import Logging
import Polygon
import Server
import TradingDomain
import TradingEngine
import Synchronization

/// `trading-assistant bench`: measures the market-data path and prints figures (never a pass/fail
/// on the clock); `--json` prints them as one object (docs/performance.md lists the keys). Parts:
/// 1. Ingest on one thread: Polygon frames parsed → quote cache updated → price events fanned out
///    to the mailboxes of 100 WebSocket clients (coalesced per symbol).
/// 2. Alerts: 100,000 alerts armed in the real engine, a crossing-heavy tape (`AlertBenchmark`).
/// 3. Tick → WebSocket frame latency on loopback with 100, then 1,000 clients (`WebSocketBenchmark`).
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
        // Alerts before the WebSocket runs, so their resident memory is not counted with the alerts.
        report.lines += try await AlertBenchmark.run(into: &report)
        report.lines += try await WebSocketBenchmark.run(clients: clients, seconds: latencySeconds, into: &report)
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

    static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kb / 1024
    }
}
