import Foundation
import Logging
import Testing
import TestSupport
import TradingDomain
@testable import Polygon
import TradingEngine

/// `/v1/marketstatus/upcoming` as calendar days: the vendor's fixture, and the client on the fake.
@Suite("Polygon market calendar")
struct PolygonCalendarTests {
    /// A started fake with `settings` changed by `prepare`, and a REST client on it.
    func withClient(_ prepare: (inout PolygonFake.Settings) -> Void, _ body: (PolygonFake, PolygonRESTClient) async throws -> Void) async throws {
        let fake = PolygonFake()
        var settings = fake.settings
        prepare(&settings)
        fake.settings = settings
        try await fake.start()
        do {
            let client = try PolygonRESTClient(restBase: fake.baseURL, apiKey: PolygonFake.validKey, requestsPerMinute: 100, logger: quietLogger)
            try await body(fake, client)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test("the vendor's fixture: one day per date from the NYSE rows, holidays closed, the early close 09:30–13:00 New York")
    func fixture() throws {
        let rows = try PolygonRESTParser.marketHolidays(PolygonFixtures.data("rest/marketstatus-upcoming.json"))
        let days = PolygonCalendarProvider.days(from: rows)
        #expect(days.map(\.date) == ["2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-11-24", "2022-11-25", "2022-12-26"])
        #expect(days.first { $0.date == "2022-11-24" }?.status == .closed)
        #expect(days.first { $0.date == "2022-11-24" }?.holiday == "Thanksgiving")
        let early = try #require(days.first { $0.date == "2022-11-25" })
        #expect(early.status == .earlyClose)
        #expect(early.openMinute == 9 * 60 + 30 && early.closeMinute == 13 * 60, "14:30Z and 18:00Z in New York (EST)")
        #expect(early.postCloseMinute == 17 * 60 && early.preOpenMinute == 4 * 60)
    }

    @Test("NASDAQ's row stands in when NYSE has none; OTC rows and unknown statuses are ignored")
    func exchanges() {
        let rows = [
            PolygonMarketHoliday(exchange: "OTC", name: "Odd", date: "2026-12-02", status: "closed"),
            PolygonMarketHoliday(exchange: "NASDAQ", name: "Storm", date: "2026-12-03", status: "closed"),
            PolygonMarketHoliday(exchange: "NYSE", name: "Test", date: "2026-12-04", status: "open"),
            PolygonMarketHoliday(exchange: "NYSE", name: "Bad date", date: "2026-13-40", status: "closed"),
        ]
        #expect(PolygonCalendarProvider.days(from: rows).map(\.date) == ["2026-12-03"])
    }

    @Test("the client reads the fake's upcoming holidays with Bearer auth; the calendar service takes them as overrides")
    func againstFake() async throws {
        try await withClient({ $0.marketHolidays = PolygonFake.holidayRows([
            ("2026-11-26", "Thanksgiving", false), ("2026-11-27", "Thanksgiving", true), ("2026-12-02", "Day of Mourning", false),
        ]) }) { fake, client in
            let days = try await PolygonCalendarProvider(client: client).calendarDays(from: Date())
            #expect(days.map(\.date) == ["2026-11-26", "2026-11-27", "2026-12-02"])
            #expect(days.first { $0.date == "2026-11-27" }.map { $0.status == .earlyClose && $0.closeMinute == 13 * 60 } == true)
            #expect(fake.restPaths.contains("/v1/marketstatus/upcoming"))

            let service = MarketCalendarService(provider: PolygonCalendarProvider(client: client), clock: SystemClockForTests(), logger: quietLogger)
            #expect(await service.refresh())
            #expect(service.calendar().day("2026-12-02")?.status == .closed)
            #expect(service.calendar().day("2026-12-02")?.holiday == "Day of Mourning")
            #expect(service.diagnostics.provider == "polygon")
        }
    }

    @Test("a gateway error page: the refresh fails visibly and the built-in calendar stays")
    func gatewayFailure() async throws {
        try await withClient({ $0.marketHolidaysFail = true }) { _, client in
            await #expect(throws: MarketDataError.self) { _ = try await client.marketHolidays() }
            let service = MarketCalendarService(provider: PolygonCalendarProvider(client: client), clock: SystemClockForTests(), logger: quietLogger)
            #expect(await service.refresh() == false)
            #expect(service.diagnostics.lastError?.isEmpty == false)
            #expect(service.diagnostics.failures == 1)
            #expect(service.calendar().day("2026-11-27")?.status == .earlyClose, "NYSE's own calendar still holds")
        }
    }
}
