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
        // Each alert's distance from 100 in cents (kept, small, to give the naive evaluator the same alerts).
        let offsets: [UInt16] = (0..<alerts).map { _ in UInt16(Int.random(in: 50...1_000, using: &generator)) }
        func rule(_ index: Int) -> AlertRule {
            let kind = index % 3
            let offset = Decimal(Int(offsets[index])) / 100
            let type: AlertType = kind == 0 ? .priceAbove : kind == 1 ? .priceBelow : .priceCross
            let threshold = kind == 1 ? 100 - offset : 100 + (kind == 2 ? offset - 5 : offset)
            return AlertRule(
                id: UUID(), symbol: names[index % symbols], type: type, threshold: threshold,
                mode: index % 10 == 0 ? .repeat : .once, cooldownSeconds: index % 10 == 0 ? 60 : nil,
                createdAt: now, updatedAt: now)
        }
        var rules = (0..<alerts).map(rule)
        let insertStart = ContinuousClock.now
        try await repository.insert(rules)
        let insertSeconds = (ContinuousClock.now - insertStart).seconds
        rules = []
        let engine = AlertEngine(repository: repository, bus: EventBus(), clock: SystemWallClock(), logger: quiet)
        try await engine.load()
        let rssArmed = MarketBenchmark.residentMegabytes()
        let service = Task { try await engine.run() }

        // The tape: a random walk per symbol, 0.01 steps, made before timing so the engine and
        // the naive evaluator see the same ticks.
        var prices = [Int](repeating: 10_000, count: symbols)
        let tape: [Int32] = (0..<ticks).map { index in
            let slot = index % symbols
            prices[slot] += Int.random(in: -5...5, using: &generator)
            return Int32(prices[slot])
        }
        var samples: [Double] = []
        samples.reserveCapacity(ticks)
        let start = ContinuousClock.now
        for index in 0..<ticks {
            let trade = Trade(symbol: names[index % symbols], price: Decimal(Int(tape[index])) / 100, size: 100, time: now)
            let events = [MarketEvent.trade(trade)]
            let before = ContinuousClock.now
            engine.receive(events)
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

        // The naive evaluator on the same tape, same run.
        var naive = NaiveAlertEvaluator((0..<alerts).map(rule))
        var naiveSamples: [Double] = []
        naiveSamples.reserveCapacity(ticks)
        var naiveFired = 0
        for index in 0..<ticks {
            let symbol = names[index % symbols]
            let price = Decimal(Int(tape[index])) / 100
            let before = ContinuousClock.now
            naiveFired += naive.evaluate(symbol: symbol, price: price)
            naiveSamples.append((ContinuousClock.now - before).seconds * 1e6)
        }
        naiveSamples.sort()
        let naiveP99 = naiveSamples[min(naiveSamples.count - 1, Int(Double(naiveSamples.count) * 0.99))]
        report.figure("alert_eval_p99_us_naive", naiveP99)
        report.figure("alert_ticks_per_s", Double(ticks) / elapsed)
        report.figure("alert_eval_p99_us", percentile(0.99))
        report.figure("rss_mib_100k_alerts", Double(rssArmed))
        return [
            "alerts: \(alerts) alerts over \(symbols) symbols armed (inserted in \(String(format: "%.1f", insertSeconds)) s), \(ticks) ticks",
            String(format: "  %.0f ticks/s evaluated on one thread; per tick p50 %.2f µs, p99 %.2f µs, p99.9 %.2f µs",
                   Double(ticks) / elapsed, percentile(0.5), percentile(0.99), percentile(0.999)),
            String(format: "  %d firings, all stored in batches to SQLite within %.1f s of the first tick (%d stored)",
                   fired, drainSeconds, engine.stats.stored),
            String(format: "  naive scan of the symbol's alerts (Decimal compares), same tape: p99 %.2f µs per tick, %d firings", naiveP99, naiveFired),
            "  resident memory: \(rssBefore) MiB before the alerts, \(rssArmed) MiB with \(engine.armedCount) armed, \(MarketBenchmark.residentMegabytes()) MiB after",
        ]
    }
}
