import Foundation
import Testing
import TradingDomain

/// The outbox's retry schedule (moved out of the Discord delivery tests: it is channel-agnostic).
@Suite("Retry backoff")
struct RetryBackoffTests {
    @Test("backoff doubles, is capped and stays within its jitter bounds")
    func backoff() {
        let exact = RetryBackoff(base: 1, cap: 300, jitter: .none)
        #expect((1...10).map { exact.delay(attempt: $0, random: 0.5) } == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300])
        #expect(exact.delay(attempt: 0, random: 0.5) == 1)
        #expect(exact.delay(attempt: Int.max, random: 0.5) == 300)
        let equal = RetryBackoff()
        let full = RetryBackoff(base: 1, cap: 300, jitter: .full)
        for attempt in 1...20 {
            let ceiling = min(300, pow(2, Double(attempt - 1)))
            for random in [0, 0.1, 0.5, 0.999_999] {
                let delay = equal.delay(attempt: attempt, random: random)
                #expect(delay >= ceiling / 2 && delay < ceiling || delay == ceiling / 2)
                #expect(full.delay(attempt: attempt, random: random) >= 0 && full.delay(attempt: attempt, random: random) < ceiling)
            }
        }
        #expect(equal.delay(attempt: 3, random: 0) == 2 && equal.delay(attempt: 3, random: 0.5) == 3)
        #expect(full.delay(attempt: 50, random: 0.5) == 150)
        #expect(full.delay(attempt: 2, random: .nan) == 0 && full.delay(attempt: 2, random: 7) == 2)
    }
}
