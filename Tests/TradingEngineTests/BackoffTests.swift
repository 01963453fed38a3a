import Foundation
import Testing
import TradingEngine

/// The one retry schedule (outbox, Polygon reconnects, Tradier GETs, bracket exits).
@Suite("Backoff")
struct BackoffTests {
    @Test("backoff doubles, is capped and stays within its jitter bounds")
    func backoff() {
        let exact = Backoff(initial: .seconds(1), maximum: .seconds(300), jitter: .none)
        #expect((0...9).map { exact.delay(attempt: $0, random: 0.5) } == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300])
        #expect(exact.delay(attempt: -1, random: 0.5) == 1)
        #expect(exact.delay(attempt: Int.max, random: 0.5) == 300)
        let equal = Backoff(initial: .seconds(1), maximum: .seconds(300))
        let full = Backoff(initial: .seconds(1), maximum: .seconds(300), jitter: .full)
        for attempt in 0...19 {
            let ceiling = min(300, pow(2, Double(attempt)))
            for random in [0, 0.1, 0.5, 0.999_999] {
                let delay = equal.delay(attempt: attempt, random: random)
                #expect(delay >= ceiling / 2 && delay < ceiling || delay == ceiling / 2)
                #expect(full.delay(attempt: attempt, random: random) >= 0 && full.delay(attempt: attempt, random: random) < ceiling)
            }
        }
        #expect(equal.delay(attempt: 2, random: 0) == 2 && equal.delay(attempt: 2, random: 0.5) == 3)
        #expect(full.delay(attempt: 50, random: 0.5) == 150)
        #expect(full.delay(attempt: 1, random: .nan) == 0 && full.delay(attempt: 1, random: 7) == 2)
    }
}
