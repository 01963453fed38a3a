import Foundation
import Synchronization
import Testing
@testable import TradingEngine
import TradingEngineTesting

/// The manual clock and the one periodic loop every engine uses.
@Suite("Clock and periodic loop")
struct ClockTests {
    @Test("a sleeper wakes only when the test advances past its deadline")
    func sleepWakesOnAdvance() async throws {
        let clock = ManualClock()
        let woke = Mutex(false)
        let task = Task {
            try await clock.sleep(for: .seconds(10))
            woke.withLock { $0 = true }
        }
        await clock.waitForSleepers()
        clock.advance(by: 9)
        for _ in 0..<100 { await Task.yield() }
        #expect(!woke.withLock { $0 })
        clock.advance(by: 1)
        try await task.value
        #expect(woke.withLock { $0 })
    }

    @Test("cancelling a sleeper ends its sleep with CancellationError")
    func cancelEndsSleep() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(3600)) }
        await clock.waitForSleepers()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleepers == 0)
    }

    @Test("repeatEvery runs once per interval of the clock, first after one interval (or at once when asked)")
    func repeatEveryCounts() async {
        let clock = ManualClock()
        let runs = Mutex(0)
        let loop = Task { await repeatEvery(.seconds(5), clock: clock) { runs.withLock { $0 += 1 } } }
        await clock.waitForSleepers()
        #expect(runs.withLock { $0 } == 0)
        for expected in 1...3 {
            clock.advance(by: 5)
            for _ in 0..<10_000 where runs.withLock({ $0 }) < expected { await Task.yield() }
            await clock.waitForSleepers()
            #expect(runs.withLock { $0 } == expected)
        }
        loop.cancel()
        await loop.value
        let eager = Mutex(0)
        let immediate = Task { await repeatEvery(.seconds(5), clock: clock, immediately: true) { eager.withLock { $0 += 1 } } }
        await clock.waitForSleepers()
        #expect(eager.withLock { $0 } == 1)
        immediate.cancel()
        await immediate.value
    }
}
