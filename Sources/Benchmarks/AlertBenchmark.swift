import Foundation
import Logging
import Persistence
import TradingDomain
import TradingEngine

/// `trading-assistant bench` part 3: alert evaluation with 100,000 alerts over 5,000 symbols
/// armed in the real engine, firings stored in batches to a real SQLite file.
enum AlertBenchmark {
    static func run(alerts: Int = 100_000, symbols: Int = 5_000, ticks: Int = 500_000, into report: inout MarketBenchmark.Report) async throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ta-alert-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let store = try Store(location: .sqlite(path: directory.appendingPathComponent("bench.sqlite").path), logger: quiet)
        try await store.migrate()
        let repository = FluentAlertRepository(store: store)
        let rssBefore = MarketBenchmark.residentMegabytes()

        // Thresholds away from the starting price of 100, so firings come from the random walk.
        var generator = SystemRandomNumberGenerator()
        let now = Date()
        let names = (0..<symbols).map { Symbol(trusted: "B\($0)") }
        var rules: [AlertRule] = []
        rules.reserveCapacity(alerts)
        for index in 0..<alerts {
            let kind = index % 3
            let offset = Decimal(Int.random(in: 50...1_000, using: &generator)) / 100
            let type: AlertType = kind == 0 ? .priceAbove : kind == 1 ? .priceBelow : .priceCross
            let threshold = kind == 1 ? 100 - offset : 100 + (kind == 2 ? offset - 5 : offset)
            rules.append(AlertRule(
                id: UUID(), symbol: names[index % symbols], type: type, threshold: threshold,
                mode: index % 10 == 0 ? .repeat : .once, cooldownSeconds: index % 10 == 0 ? 60 : nil,
                createdAt: now, updatedAt: now))
        }
        let insertStart = ContinuousClock.now
        try await repository.insert(rules)
        let insertSeconds = (ContinuousClock.now - insertStart).seconds
        rules = []
        let engine = AlertEngine(repository: repository, bus: EventBus(), clock: SystemWallClock(), logger: quiet)
        try await engine.load()
        let rssArmed = MarketBenchmark.residentMegabytes()
        let service = Task { try await engine.run() }

        // A random walk per symbol, 0.01 steps, evaluated tick by tick.
        var prices = [Int](repeating: 10_000, count: symbols)
        var samples: [Double] = []
        samples.reserveCapacity(ticks)
        let start = ContinuousClock.now
        for index in 0..<ticks {
            let slot = index % symbols
            prices[slot] += Int.random(in: -5...5, using: &generator)
            let trade = Trade(symbol: names[slot], price: Decimal(prices[slot]) / 100, size: 100, time: now)
            let before = ContinuousClock.now
            engine.receive([.trade(trade)])
            samples.append((ContinuousClock.now - before).seconds * 1e6)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        // Wait for the batched writer to store every firing.
        let fired = engine.stats.firings
        let drainStart = ContinuousClock.now
        while engine.stats.stored < fired, ContinuousClock.now - drainStart < .seconds(120) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let drainSeconds = (ContinuousClock.now - start).seconds
        service.cancel()
        _ = try? await service.value
        await store.shutdown()
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
        report.figure("alert_ticks_per_s", Double(ticks) / elapsed)
        report.figure("alert_eval_p99_us", percentile(0.99))
        report.figure("rss_mib_100k_alerts", Double(rssArmed))
        return [
            "alerts: \(alerts) alerts over \(symbols) symbols armed (inserted in \(String(format: "%.1f", insertSeconds)) s), \(ticks) ticks",
            String(format: "  %.0f ticks/s evaluated on one thread; per tick p50 %.2f µs, p99 %.2f µs, p99.9 %.2f µs",
                   Double(ticks) / elapsed, percentile(0.5), percentile(0.99), percentile(0.999)),
            String(format: "  %d firings, all stored in batches to SQLite within %.1f s of the first tick (%d stored)",
                   fired, drainSeconds, engine.stats.stored),
            "  resident memory: \(rssBefore) MiB before the alerts, \(rssArmed) MiB with \(engine.armedCount) armed, \(MarketBenchmark.residentMegabytes()) MiB after",
        ]
    }
}
