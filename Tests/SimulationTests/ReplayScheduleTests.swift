import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Replay schedule")
struct ReplayScheduleTests {
    let first = utc("2025-03-10T13:30:00Z")

    var times: [Date] {
        [0, 0.25, 1.5, 1.5, 61.001].map { first.addingTimeInterval($0) }
    }

    @Test("at 1× each event is due its event-time offset after the first")
    func realTime() throws {
        let offsets = try ReplaySchedule.offsets(for: times, speed: 1)
        #expect(offsets == [.zero, .milliseconds(250), .milliseconds(1_500), .milliseconds(1_500), .milliseconds(61_001)])
    }

    @Test("at 10× the offsets are a tenth")
    func tenTimes() throws {
        let offsets = try ReplaySchedule.offsets(for: times, speed: 10)
        #expect(offsets == [.zero, .milliseconds(25), .milliseconds(150), .milliseconds(150), .nanoseconds(6_100_100_000)])
        let schedule = try ReplaySchedule(speed: 10, firstEventTime: first)
        #expect(schedule.delay(from: times[1], to: times[2]) == .milliseconds(125))
        #expect(schedule.delay(from: times[2], to: times[1]) == .zero)
    }

    @Test("long gaps are capped before scaling; an out-of-order event is due at once")
    func gapsAndDisorder() throws {
        var schedule = try ReplaySchedule(speed: 2, firstEventTime: first, maxGap: .seconds(10))
        #expect(schedule.offset(for: first) == .zero)
        #expect(schedule.offset(for: first.addingTimeInterval(4)) == .seconds(2))
        #expect(schedule.offset(for: first.addingTimeInterval(3_600 * 16)) == .seconds(7))  // overnight gap → 10 s → 5 s
        #expect(schedule.offset(for: first.addingTimeInterval(60)) == .seconds(7))  // earlier than the previous
        #expect(schedule.offset(for: first.addingTimeInterval(3_600 * 16 + 1)) == .nanoseconds(7_500_000_000))
    }

    @Test("speeds: parsing and validation")
    func speeds() throws {
        #expect(try ReplaySchedule.parseSpeed(nil) == 1)
        #expect(try ReplaySchedule.parseSpeed(" 10x ") == 10)
        #expect(try ReplaySchedule.parseSpeed("0.5") == 0.5)
        for bad in ["0", "-2", "fast", "1e3"] {
            let error = #expect(throws: ValidationFailure.self) { try ReplaySchedule.parseSpeed(bad) }
            #expect(error?.errors.first?.field == "TA_REPLAY_SPEED")
        }
        #expect(throws: ValidationFailure.self) { try ReplaySchedule(speed: .infinity, firstEventTime: first) }
        #expect(throws: ValidationFailure.self) { try ReplaySchedule(speed: 0, firstEventTime: first) }
    }
}
