import APIInput
import Foundation
import Testing
@testable import TradingDomain

private func ny(_ date: String, _ hour: Int, _ minute: Int = 0) -> Date {
    let parts = date.split(separator: "-").compactMap { Int($0) }
    return MarketTime.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))!
}

private let calendar = MarketCalendar()
private let aapl = Symbol(trusted: "AAPL")

private func rule(_ type: AlertType, _ threshold: Decimal, sessions: AlertSessions = .extended, at created: Date) -> AlertRule {
    AlertRule(id: UUID(), symbol: aapl, type: type, threshold: threshold, sessions: sessions, createdAt: created, updatedAt: created)
}

@Suite("Alerts: sessions")
struct AlertSessionTests {
    @Test("a regular alert does not fire on a pre-market print; an extended one does; both fire in the session")
    func regularIgnoresPreMarket() {
        var books = SessionAlertBooks()
        let created = ny("2026-12-01", 3)
        let regular = rule(.priceAbove, 200, sessions: .regular, at: created)
        let extended = rule(.priceAbove, 200, at: created)
        books.add(regular)
        books.add(extended)
        let preMarket = ny("2026-12-01", 8)
        let early = books.evaluate(symbol: aapl, price: 201, time: preMarket, source: .stream, session: calendar.session(at: preMarket))
        #expect(early.firings.map(\.alertID) == [extended.id])
        let open = ny("2026-12-01", 9, 31)
        let later = books.evaluate(symbol: aapl, price: 201, time: open, source: .stream, session: calendar.session(at: open))
        #expect(later.firings.map(\.alertID) == [regular.id])
        let afterHours = ny("2026-12-01", 16, 30)
        var books2 = SessionAlertBooks()
        books2.add(rule(.priceAbove, 200, sessions: .regular, at: created))
        #expect(books2.evaluate(symbol: aapl, price: 250, time: afterHours, source: .stream, session: .post).firings.isEmpty)
    }

    @Test("catch-up on Sunday or Monday morning does not fire on Friday's day high")
    func noFiringOnLastSession() {
        let friday = ny("2026-12-04", 15, 59)
        let snapshot = MarketSnapshot(symbol: aapl, last: 199, lastTime: friday, dayHigh: 205, dayLow: 190, previousClose: 195, updated: friday)
        for now in [ny("2026-12-06", 12), ny("2026-12-07", 8)] {
            var books = SessionAlertBooks()
            // Created Thursday: the alert existed while Friday traded, but Friday's data is the last session's now.
            books.add(rule(.priceAbove, 200, at: ny("2026-12-03", 10)))
            let result = books.catchUp([CatchUpInput(snapshot: snapshot)], time: now, source: .catchUp, calendar: calendar)
            #expect(result.firings.isEmpty, "fired at \(now)")
            #expect(books.previousClose(aapl) == 195)
        }
    }

    @Test("catch-up the same trading day fires on the day's high missed during a gap, but not for an alert created after the data")
    func sameDayCatchUp() {
        let dataTime = ny("2026-12-01", 11)
        let now = ny("2026-12-01", 11, 5)
        let snapshot = MarketSnapshot(symbol: aapl, last: 199, lastTime: dataTime, dayHigh: 205, dayLow: 190, updated: dataTime)
        var books = SessionAlertBooks()
        let before = rule(.priceAbove, 200, at: ny("2026-12-01", 10))
        let after = rule(.priceAbove, 200, at: ny("2026-12-01", 11, 2))
        books.add(before)
        books.add(after)
        let result = books.catchUp([CatchUpInput(snapshot: snapshot)], time: now, source: .catchUp, calendar: calendar)
        #expect(result.firings.map(\.alertID) == [before.id])
        #expect(result.firings.first?.price == 205)
        #expect(books.rule(id: after.id)?.status == .active, "set aside and put back, still armed")
        // The alert created after the data fires on the next print that meets it.
        let tick = books.evaluate(symbol: aapl, price: 201, time: ny("2026-12-01", 11, 6), source: .stream, session: .regular)
        #expect(tick.firings.map(\.alertID) == [after.id])
    }

    @Test("a regular alert catches up only on a regular-session final price, never on the day's range")
    func regularCatchUp() {
        var books = SessionAlertBooks()
        let created = ny("2026-12-01", 3)
        let regular = rule(.priceAbove, 200, sessions: .regular, at: created)
        books.add(regular)
        let preData = ny("2026-12-01", 8)
        let pre = MarketSnapshot(symbol: aapl, last: 201, lastTime: preData, dayHigh: 202, updated: preData)
        #expect(books.catchUp([CatchUpInput(snapshot: pre)], time: ny("2026-12-01", 8, 1), source: .catchUp, calendar: calendar).firings.isEmpty)
        let sessionData = ny("2026-12-01", 10)
        let inSession = MarketSnapshot(symbol: aapl, last: 199, lastTime: sessionData, dayHigh: 210, updated: sessionData)
        #expect(books.catchUp([CatchUpInput(snapshot: inSession)], time: ny("2026-12-01", 10, 1), source: .catchUp, calendar: calendar)
            .firings.isEmpty, "the day high may be a pre-market print")
        let later = MarketSnapshot(symbol: aapl, last: 201, lastTime: ny("2026-12-01", 10, 2), dayHigh: 210, updated: ny("2026-12-01", 10, 2))
        let fired = books.catchUp([CatchUpInput(snapshot: later)], time: ny("2026-12-01", 10, 3), source: .catchUp, calendar: calendar)
        #expect(fired.firings.map(\.price) == [201])
    }

    @Test("sessions is read, defaults to extended, and a bad value is 422 naming sessions")
    func input() throws {
        let now = ny("2026-12-01", 10)
        let created = try AlertInput.create(.object(["symbol": .string("AAPL"), "type": .string("price_above"), "threshold": .number(200)]), id: UUID(), now: now)
        #expect(created.sessions == .extended)
        let regular = try AlertInput.create(
            .object(["symbol": .string("AAPL"), "type": .string("price_above"), "threshold": .number(200), "sessions": .string("regular")]),
            id: UUID(), now: now)
        #expect(regular.sessions == .regular)
        do {
            _ = try AlertInput.create(
                .object(["symbol": .string("AAPL"), "type": .string("price_above"), "threshold": .number(200), "sessions": .string("overnight")]),
                id: UUID(), now: now)
            Issue.record("accepted sessions overnight")
        } catch {
            #expect(error.errors.map(\.field) == ["sessions"])
        }
        let patched = try AlertInput.update(regular, patch: .object(["sessions": .string("extended")]), now: now)
        #expect(patched.sessions == .extended)
        #expect(throws: ValidationFailure.self) { try AlertInput.update(regular, patch: .object(["sessions": .null]), now: now) }
    }
}

@Suite("Orders: extended-hours durations")
struct ExtendedHoursInputTests {
    func ticket(_ fields: [String: JSONValue]) throws(ValidationFailure) -> OrderTicket {
        var body: [String: JSONValue] = ["symbol": .string("AAPL"), "action": .string("buy"), "quantity": .number(1)]
        for (key, value) in fields { body[key] = value }
        return try OrderInput.ticket(.object(body))
    }

    @Test("pre and post take limit orders on equities; anything else is 422 naming duration")
    func limitOnly() throws {
        let pre = try ticket(["type": .string("limit"), "limit_price": .number(100), "duration": .string("pre")])
        #expect(pre.request.duration == .pre)
        let post = try ticket(["type": .string("limit"), "limit_price": .number(100), "duration": .string("post")])
        #expect(post.request.duration == .post)
        for fields: [String: JSONValue] in [
            ["type": .string("market"), "duration": .string("pre")],
            ["type": .string("stop"), "stop_price": .number(99), "duration": .string("post")],
            ["type": .string("limit"), "limit_price": .number(1), "duration": .string("post"), "symbol": .string("AAPL261218C00200000"), "action": .string("buy_to_open")],
        ] {
            do {
                _ = try ticket(fields)
                Issue.record("accepted \(fields)")
            } catch {
                #expect(error.errors.map(\.field) == ["duration"], "\(error.errors)")
            }
        }
    }
}
