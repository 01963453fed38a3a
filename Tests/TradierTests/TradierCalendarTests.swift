import Foundation
import Logging
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine

/// `GET /v1/markets/calendar` as calendar days: the documented shape, and the provider on the fake.
@Suite("Tradier market calendar")
struct TradierCalendarTests {
    static let quiet = Logger(label: "tradier-calendar-test") { _ in SwiftLogNoOpLogHandler() }

    struct Clock: WallClock {
        func now() -> Date { Date() }
    }

    @Test("the documented answer: open days with Tradier's windows keep our extended hours; closed days; a 13:00 close is early")
    func documentedShape() throws {
        // The example of docs.tradier.com/reference/brokerage-api-markets-get-calendar, with a
        // holiday and an early close added in the same shape.
        let answer = #"""
        {"calendar":{"month":11,"year":2026,"days":{"day":[
         {"date":"2026-11-25","status":"open","description":"Market is open","premarket":{"start":"07:00","end":"09:24"},"open":{"start":"09:30","end":"16:00"},"postmarket":{"start":"16:00","end":"20:00"}},
         {"date":"2026-11-26","status":"closed","description":"Market is closed for Thanksgiving Day"},
         {"date":"2026-11-27","status":"open","description":"Market is open","premarket":{"start":"07:00","end":"09:24"},"open":{"start":"09:30","end":"13:00"},"postmarket":{"start":"13:00","end":"17:00"}},
         {"date":"2026-11-28","status":"closed","description":"Market is closed"}
        ]}}}
        """#
        let days = try TradierCalendarProvider.days(from: body(answer))
        #expect(days.map(\.date) == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"])
        #expect(days[0] == .regular("2026-11-25"), "pre-market from 04:00, not Tradier's 07:00")
        #expect(days[1].status == .closed && days[1].holiday == "Thanksgiving Day")
        #expect(days[2].status == .earlyClose && days[2].closeMinute == 13 * 60 && days[2].postCloseMinute == 17 * 60)
        #expect(days[3].status == .closed && days[3].holiday == nil)
    }

    @Test("one day comes as an object, not an array; an error body with HTTP 200 is an error")
    func quirks() throws {
        let single = #"{"calendar":{"month":2,"year":2027,"days":{"day":{"date":"2027-02-15","status":"closed","description":"Market is closed for Presidents Day"}}}}"#
        #expect(try TradierCalendarProvider.days(from: body(single)).map(\.holiday) == ["Presidents Day"])
        #expect(throws: BrokerError.self) { try TradierCalendarProvider.days(from: body(#"{"errors":{"error":"Invalid Parameter: month"}}"#)) }
        #expect(throws: BrokerError.self) { try TradierCalendarProvider.days(from: body("<calendar/>")) }
    }

    @Test("on the fake: three months asked for, holidays and early closes read, the service uses them")
    func againstFake() async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setCalendar(["2026-11-26": .holiday("Thanksgiving Day"), "2026-11-27": .earlyClose, "2026-12-02": .holiday("Day of Mourning")])
        let configuration = TradierConfiguration(
            accessToken: TradierFake.validToken, accountID: TradierFake.defaultAccount, baseURL: fake.baseURL,
            requestTimeout: .seconds(5), retry: TradierRetryPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(100)))
        let provider = TradierCalendarProvider(configuration: configuration, logger: Self.quiet)
        let now = MarketTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 12))!
        let days = try await provider.calendarDays(from: now)
        let calls = fake.requests.filter { $0.path.hasSuffix("/markets/calendar") }
        #expect(calls.map { "\($0.query["year"] ?? "")-\($0.query["month"] ?? "")" } == ["2026-11", "2026-12", "2027-01"])
        #expect(calls.allSatisfy { $0.headers["accept"] == "application/json" })
        #expect(days.count == 30 + 31 + 31)
        #expect(days.first { $0.date == "2026-11-27" }?.status == .earlyClose)
        #expect(days.first { $0.date == "2026-12-02" }?.holiday == "Day of Mourning")

        let service = MarketCalendarService(provider: provider, clock: Clock(), logger: Self.quiet)
        #expect(await service.refresh())
        let calendar = service.calendar()
        #expect(calendar.day("2026-12-02")?.status == .closed)
        #expect(calendar.day("2026-11-26")?.holiday == "Thanksgiving Day")
        #expect(calendar.day("2026-12-01")?.status == .open)
        await fake.stop()
    }

    @Test("an expired token: the refresh fails visibly, nothing changes")
    func failure() async throws {
        let fake = TradierFake()
        try await fake.start()
        let configuration = TradierConfiguration(
            accessToken: "wrong-token-0123456789", accountID: TradierFake.defaultAccount, baseURL: fake.baseURL,
            requestTimeout: .seconds(5), retry: TradierRetryPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(100)))
        let service = MarketCalendarService(
            provider: TradierCalendarProvider(configuration: configuration, logger: Self.quiet), clock: Clock(), logger: Self.quiet)
        #expect(await service.refresh() == false)
        #expect(service.diagnostics.lastError?.contains("Invalid Access Token") == true)
        #expect(service.calendar().day("2026-11-27")?.status == .earlyClose)
        await fake.stop()
    }
}
