import APIInput
import Foundation
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOCore
import Server
import Synchronization
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// A clock the test pins to any instant (sleeping is real).
final class PinnedClock: WallClock, Sendable {
    let instant: Mutex<Date>
    init(_ start: Date) { instant = Mutex(start) }
    func now() -> Date { instant.withLock { $0 } }
    func set(_ date: Date) { instant.withLock { $0 = date } }
}

/// New York wall time.
func ny(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    let parts = date.split(separator: "-").compactMap { Int($0) }
    return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
}

/// `GET /api/v1/market/status`, `GET /api/v1/market/calendar`, `GET /api/v1/diag/calendar`, the
/// `status` session event and the coach, at pinned times.
@Suite("Market sessions API")
struct MarketSessionAPITests {
    @Test("the session at a Saturday, a holiday, 12:59/13:01 on an early close, and 03:59/04:00/09:30/16:00/20:00 on a full day")
    func statusAtPinnedTimes() async throws {
        let clock = PinnedClock(ny("2026-12-05", 12))
        try await withApp(clock: clock) { client, _ in
            // (instant, session, is_open, next_open, next_close, early_close, holiday)
            let cases: [(Date, String, Bool, Date, Date, Bool, String?)] = [
                (ny("2026-12-05", 12), "closed", false, ny("2026-12-07", 9, 30), ny("2026-12-07", 16), false, nil),
                (ny("2026-11-26", 10), "closed", false, ny("2026-11-27", 9, 30), ny("2026-11-27", 13), false, "Thanksgiving Day"),
                (ny("2026-11-27", 12, 59), "regular", true, ny("2026-11-30", 9, 30), ny("2026-11-27", 13), true, nil),
                (ny("2026-11-27", 13, 1), "post", false, ny("2026-11-30", 9, 30), ny("2026-11-30", 16), true, nil),
                (ny("2026-11-27", 17), "closed", false, ny("2026-11-30", 9, 30), ny("2026-11-30", 16), true, nil),
                (ny("2026-12-02", 3, 59), "closed", false, ny("2026-12-02", 9, 30), ny("2026-12-02", 16), false, nil),
                (ny("2026-12-02", 4), "pre", false, ny("2026-12-02", 9, 30), ny("2026-12-02", 16), false, nil),
                (ny("2026-12-02", 9, 30), "regular", true, ny("2026-12-03", 9, 30), ny("2026-12-02", 16), false, nil),
                (ny("2026-12-02", 16), "post", false, ny("2026-12-03", 9, 30), ny("2026-12-03", 16), false, nil),
                (ny("2026-12-02", 20), "closed", false, ny("2026-12-03", 9, 30), ny("2026-12-03", 16), false, nil),
            ]
            for (instant, session, isOpen, nextOpen, nextClose, earlyClose, holiday) in cases {
                clock.set(instant)
                let response = try await client.api(.get, "/api/v1/market/status")
                let what = "\(MarketTime.weekdayDay(instant)) \(MarketTime.clock(instant))"
                #expect(response.status == .ok, "\(what)")
                let body = try response.json()
                #expect(Set(body.keys) == ["session", "is_open", "next_open", "next_close", "early_close", "holiday", "as_of", "sim_session", "summary"])
                #expect(body["session"] as? String == session, "\(what): \(body)")
                #expect(body["is_open"] as? Bool == isOpen, "\(what)")
                #expect((body["next_open"] as? String).flatMap(ISO8601.parse) == nextOpen, "\(what)")
                #expect((body["next_close"] as? String).flatMap(ISO8601.parse) == nextClose, "\(what)")
                #expect(body["early_close"] as? Bool == earlyClose, "\(what)")
                #expect(body["holiday"] as? String == holiday, "\(what)")
                if holiday == nil { #expect(body["holiday"] is NSNull, "\(what): holiday is null, not absent") }
                #expect((body["as_of"] as? String).flatMap(ISO8601.parse) == instant)
                #expect(body["sim_session"] as? String == "always_open", "the test harness runs the simulator always open")
            }
        }
    }

    @Test("the calendar lists every weekday: NYSE's 2026 and 2027 holidays closed with null times, 2026-11-27 closes at 13:00, 2027-12-31 open")
    func calendarYears() async throws {
        try await withApp { client, _ in
            var days: [[String: Any]] = []
            for (from, to) in [("2026-01-01", "2026-12-31"), ("2027-01-01", "2027-12-31")] {
                let response = try await client.api(.get, "/api/v1/market/calendar?from=\(from)&to=\(to)")
                #expect(response.status == .ok)
                days += try #require(response.json()["days"] as? [[String: Any]])
            }
            #expect(days.count == 261 + 261, "every weekday of both years, no weekend")
            let byDate = Dictionary(uniqueKeysWithValues: days.map { ($0["date"] as? String ?? "", $0) })
            let holidays = [
                "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
                "2026-11-26", "2026-12-25", "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
                "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24",
            ]
            for date in holidays {
                let day = try #require(byDate[date], "\(date)")
                #expect(day["status"] as? String == "closed", "\(date)")
                #expect(day["holiday"] is String, "\(date) is named")
                for key in ["open", "close", "pre_open", "post_close"] { #expect(day[key] is NSNull, "\(date) \(key)") }
            }
            #expect(days.filter { $0["status"] as? String == "closed" }.count == holidays.count)
            let friday = try #require(byDate["2026-11-27"])
            #expect(friday["status"] as? String == "early_close")
            #expect(friday["open"] as? String == "09:30" && friday["close"] as? String == "13:00")
            #expect(friday["pre_open"] as? String == "04:00" && friday["post_close"] as? String == "17:00")
            let eve = try #require(byDate["2027-12-31"])
            #expect(eve["status"] as? String == "open" && eve["close"] as? String == "16:00" && eve["post_close"] as? String == "20:00")
            #expect(eve["holiday"] is NSNull)
            #expect(byDate["2026-11-28"] == nil, "a Saturday is not listed")
        }
    }

    @Test("bad ranges are 422 problem+json naming the field")
    func badRanges() async throws {
        let cases = [
            ("", "from"), ("?to=2026-12-31", "from"), ("?from=2026-01-01", "to"), ("?from=2026-02-30&to=2026-03-01", "from"),
            ("?from=yesterday&to=2026-03-01", "from"), ("?from=2026-03-01&to=2026-3-2", "to"), ("?from=2026-03-02&to=2026-03-01", "to"),
            ("?from=2026-01-01&to=2027-02-05", "to"), ("?from=2026-01-01&to=2026-01-02&days=3", "days"),
        ]
        try await withApp { client, _ in
            for (query, field) in cases {
                let response = try await client.api(.get, "/api/v1/market/calendar\(query)")
                #expect(response.status == .unprocessableContent, "\(query): \(response.text)")
                #expect(response.isProblem)
                #expect(try response.problemFields().contains(field), "\(query): \(response.text)")
            }
            let unknown = try await client.api(.get, "/api/v1/market/status?at=2026-01-01")
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.problemFields() == ["at"])
        }
    }

    @Test("400 days is the most one request covers")
    func longestRange() async throws {
        try await withApp { client, _ in
            #expect(try await client.api(.get, "/api/v1/market/calendar?from=2026-01-01&to=2027-02-04").status == .ok)
            #expect(try await client.api(.get, "/api/v1/market/calendar?from=2026-01-01&to=2027-02-05").status == .unprocessableContent)
            let one = try await client.api(.get, "/api/v1/market/calendar?from=2026-11-28&to=2026-11-29").json()
            #expect((one["days"] as? [Any])?.isEmpty == true, "a weekend alone lists nothing")
        }
    }

    @Test("the simulated market's mode is reported: calendar by default; diagnostics name no provider offline")
    func simulationMode() async throws {
        try await withApp(configure: { $0.simulation.session = .calendar }) { client, _ in
            let status = try await client.api(.get, "/api/v1/market/status").json()
            #expect(status["sim_session"] as? String == "calendar")
            let diagnostics = try await client.api(.get, "/api/v1/diag/calendar").json()
            #expect(diagnostics["provider"] is NSNull)
            #expect((diagnostics["built_in"] as? String)?.contains("2026–2028") == true)
            #expect(diagnostics["sim_session"] as? String == "calendar")
            #expect(diagnostics["last_error"] is NSNull)
        }
    }

    @Test("a WebSocket client is greeted with the session, and gets a status event when the session changes")
    func sessionEvent() async throws {
        let clock = PinnedClock(ny("2026-12-02", 9, 29).addingTimeInterval(59.5))
        try await withApp(clock: clock, testing: .live) { client, _ in
            let token = try await WebSocketTests().token(client)
            let received = WebSocketTests.Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                var moved = false
                let deadline = ContinuousClock.now + .seconds(10)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    let statuses = received.of(type: "status").compactMap { $0["data"] as? [String: Any] }
                    if !moved, statuses.contains(where: { $0["kind"] as? String == "connected" }) {
                        moved = true
                        clock.set(ny("2026-12-02", 9, 30).addingTimeInterval(0.5))
                    }
                    if statuses.contains(where: { $0["kind"] as? String == "session" }) || ContinuousClock.now > deadline { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let statuses = received.of(type: "status").compactMap { $0["data"] as? [String: Any] }
            let hello = try #require(statuses.first { $0["kind"] as? String == "connected" })
            #expect(hello["session"] as? String == "pre")
            #expect((hello["next_open"] as? String).flatMap(ISO8601.parse) == ny("2026-12-02", 9, 30))
            let change = try #require(statuses.first { $0["kind"] as? String == "session" }, "\(statuses)")
            #expect(change["session"] as? String == "regular")
            #expect(change["is_open"] as? Bool == true)
            #expect((change["next_close"] as? String).flatMap(ISO8601.parse) == ny("2026-12-02", 16))
            #expect((change["message"] as? String)?.contains("open") == true)
        }
    }

    @Test("the built-in coach says when the market is closed")
    func coachKnowsTheSession() async throws {
        let clock = PinnedClock(ny("2026-12-05", 12))
        try await withApp(clock: clock) { client, _ in
            let answer = try await CoachAPITests.chat(client, "is the market open?")
            #expect(answer["tools_used"]?[0]?.string == "market_status", "\(answer)")
            #expect(answer["reply"]?.string?.contains("The market is closed for the weekend; it opens Mon 2026-12-07 at 09:30 ET.") == true, "\(answer)")
            let quotes = try await CoachAPITests.chat(client, "what's AAPL at?")
            #expect(quotes["reply"]?.string?.contains("The market is closed for the weekend") == true, "\(quotes)")
            clock.set(ny("2026-12-07", 11))
            let open = try await CoachAPITests.chat(client, "what's AAPL at?")
            #expect(open["reply"]?.string?.contains("closed") == false, "no note while the regular session is open: \(open)")
        }
    }

    /// Polls `GET /api/v1/diag/calendar` until the provider's days are in.
    static func waitForRefresh(_ client: some TestClientProtocol) async throws -> [String: Any] {
        var diagnostics: [String: Any] = [:]
        for _ in 0..<200 {
            diagnostics = try await client.api(.get, "/api/v1/diag/calendar").json()
            if (diagnostics["provider_days"] as? Int ?? 0) > 0 { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        return diagnostics
    }

    static func day(_ client: some TestClientProtocol, _ date: String) async throws -> [String: Any]? {
        let days = try await client.api(.get, "/api/v1/market/calendar?from=\(date)&to=\(date)").json()["days"] as? [[String: Any]]
        return days?.first
    }

    @Test("in Polygon mode the calendar is refreshed from /v1/marketstatus/upcoming: a closure only Polygon knows is closed")
    func polygonRefresh() async throws {
        let fake = PolygonFake()
        var settings = fake.settings
        settings.marketHolidays = PolygonFake.holidayRows([("2026-11-27", "Thanksgiving", true), ("2026-12-02", "Day of Mourning", false)])
        fake.settings = settings
        try await fake.start()
        do {
            try await withApp(configure: { config in
                config.marketData = .polygon
                config.polygon.apiKey = PolygonFake.validKey
                config.polygon.webSocketURL = fake.streamURL
                config.polygon.restURL = fake.baseURL
                config.polygon.requestsPerMinute = 1_000
            }) { client, _ in
                let diagnostics = try await Self.waitForRefresh(client)
                #expect(diagnostics["provider"] as? String == "polygon")
                #expect(diagnostics["provider_days"] as? Int == 2, "\(diagnostics)")
                #expect(diagnostics["last_success_at"] is String)
                #expect(diagnostics["sim_session"] is NSNull, "real market data: no simulated session")
                let mourning = try #require(try await Self.day(client, "2026-12-02"))
                #expect(mourning["status"] as? String == "closed" && mourning["holiday"] as? String == "Day of Mourning")
                #expect(try await Self.day(client, "2026-11-27")?["holiday"] as? String == "Day after Thanksgiving")
                #expect(fake.restPaths.contains("/v1/marketstatus/upcoming"))
            }
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test("with Tradier configured the calendar comes from /v1/markets/calendar, three months ahead")
    func tradierRefresh() async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setCalendar(["2026-11-26": .holiday("Thanksgiving Day"), "2026-11-27": .earlyClose, "2026-12-02": .holiday("Day of Mourning")])
        do {
            try await withApp(configure: {
                $0.tradier.accessToken = TradierFake.validToken
                $0.tradier.accountID = TradierFake.defaultAccount
                $0.tradier.baseURL = fake.baseURL.absoluteString
            }, clock: PinnedClock(ny("2026-11-20", 12))) { client, _ in
                let diagnostics = try await Self.waitForRefresh(client)
                #expect(diagnostics["provider"] as? String == "tradier", "\(diagnostics)")
                let mourning = try #require(try await Self.day(client, "2026-12-02"))
                #expect(mourning["status"] as? String == "closed" && mourning["holiday"] as? String == "Day of Mourning")
                let months = fake.requests.filter { $0.path.hasSuffix("/markets/calendar") }.map { $0.query["month"] ?? "" }
                #expect(months == ["11", "12", "01"])
            }
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }
}
