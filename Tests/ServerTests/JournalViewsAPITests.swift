import APIInput
import Foundation
import HummingbirdTesting
import Testing
import TradingDomain

@Suite("Journal views API")
struct JournalViewsAPITests {
    static func post(_ client: some TestClientProtocol, _ json: String) async throws -> String {
        let response = try await client.api(.post, "/api/v1/journal", json: json)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try response.value()["id"]?.string)
    }

    @Test("calendar: trades on three New York days give three days with the right P&L, trades and R")
    func calendarMonth() async throws {
        try await withApp { client, _ in
            // 2026-03-02: +100 (1R) and −50 (−0.5R); 2026-03-05: +30 (no stop); the trade closing
            // 2026-03-10T03:30Z closes on the 9th in New York: −20 (−0.4R).
            let trades = [
                ("100", "101", "99", "2026-03-02T15:00:00Z", "2026-03-02T16:00:00Z"),
                ("100", "99.5", "99", "2026-03-02T17:00:00Z", "2026-03-02T18:00:00Z"),
                ("100", "100.3", nil, "2026-03-05T15:00:00Z", "2026-03-05T15:30:00Z"),
                ("100", "99.8", "99.5", "2026-03-09T23:00:00Z", "2026-03-10T03:30:00Z"),
                ("100", "110", "99", "2026-04-01T15:00:00Z", "2026-04-01T16:00:00Z"),
            ]
            for (entry, exit, stop, opened, closed) in trades {
                _ = try await Self.post(client, """
                    {"symbol": "AAPL", "side": "long", "entry_price": \(entry), "exit_price": \(exit), "quantity": 100,
                     \(stop.map { "\"stop\": \($0)," } ?? "") "opened_at": "\(opened)", "closed_at": "\(closed)"}
                    """)
            }
            _ = try await Self.post(client, #"{"symbol": "AAPL", "side": "long", "entry_price": 100, "quantity": 1, "opened_at": "2026-03-03T15:00:00Z"}"#)
            let response = try await client.api(.get, "/api/v1/journal/calendar?month=2026-03")
            #expect(response.status == .ok, "\(response.text)")
            let days = try #require(try response.value()["days"]?.array)
            #expect(days.compactMap { $0["date"]?.string } == ["2026-03-02", "2026-03-05", "2026-03-09"])
            #expect(days.compactMap { $0["pnl"]?.decimal } == [50, 30, -20])
            #expect(days.compactMap { $0["trades"]?.decimal } == [2, 1, 1])
            #expect(days[0]["r"]?.decimal == Decimal(string: "0.5"))
            #expect(days[1]["r"]?.isNull == true)
            #expect(days[2]["r"]?.decimal == Decimal(string: "-0.4"))

            let filtered = try await client.api(.get, "/api/v1/journal/calendar?month=2026-04&symbol=MSFT").value()
            #expect(filtered["days"]?.array?.isEmpty == true)
        }
    }

    @Test("calendar: a missing or malformed month, or a foreign parameter, is a problem naming the field")
    func calendarBadInput() async throws {
        try await withApp { client, _ in
            for (query, field) in [("", "month"), ("?month=2026-13", "month"), ("?month=March", "month"), ("?month=2026-03&from=x", "from")] {
                let response = try await client.api(.get, "/api/v1/journal/calendar\(query)")
                #expect(response.status == .unprocessableContent, "\(query): \(response.text)")
                #expect(response.isProblem)
                #expect(try response.problemFields().contains(field), "\(query): \(response.text)")
            }
        }
    }

    @Test("stats add the R histogram in 0.5 R bins, weekday, hour, session and setup groups, streaks and MAE/MFE points")
    func statsViews() async throws {
        try await withApp { client, _ in
            // R: +1.2 (Mon 10:00 NY, pre? no: regular), −1 (Mon 16:30 NY, post), −0.3 (Tue 08:00 NY, pre), +2 (Tue 11:00).
            let trades = [
                ("101.2", "2026-03-02T15:00:00Z", "2026-03-02T15:30:00Z", "breakout"),
                ("99", "2026-03-02T21:30:00Z", "2026-03-02T21:45:00Z", "breakout"),
                ("99.7", "2026-03-03T13:00:00Z", "2026-03-03T13:30:00Z", "fade"),
                ("102", "2026-03-03T16:00:00Z", "2026-03-03T17:00:00Z", "fade"),
            ]
            for (exit, opened, closed, tag) in trades {
                _ = try await Self.post(client, """
                    {"symbol": "AAPL", "side": "long", "entry_price": 100, "exit_price": \(exit), "quantity": 10, "stop": 99,
                     "tags": ["\(tag)"], "opened_at": "\(opened)", "closed_at": "\(closed)"}
                    """)
            }
            let stats = try await client.api(.get, "/api/v1/journal/stats").value()
            let bins = try #require(stats["r_histogram"]?.array)
            #expect(bins.first?["from"]?.decimal == -1)
            #expect(bins.last?["to"]?.decimal == Decimal(string: "2.5"))
            #expect(bins.count == 7)
            // [-1,-0.5): 1; [-0.5,0): 1; [1,1.5): 1; [2,2.5): 1.
            #expect(bins.compactMap { $0["trades"]?.decimal } == [1, 1, 0, 0, 1, 0, 1])
            #expect(stats["by_weekday"]?["mon"]?["trades"]?.decimal == 2)
            #expect(stats["by_weekday"]?["tue"]?["total_pnl"]?.decimal == 17)
            #expect(stats["by_hour"]?["10"]?["trades"]?.decimal == 1)
            #expect(stats["by_hour"]?["08"]?["trades"]?.decimal == 1)
            #expect(stats["by_session"]?["regular"]?["trades"]?.decimal == 2)
            #expect(stats["by_session"]?["pre"]?["trades"]?.decimal == 1)
            #expect(stats["by_session"]?["post"]?["trades"]?.decimal == 1)
            #expect(stats["by_setup"]?["fade"]?["expectancy_r"]?.decimal == Decimal(string: "0.85"))
            #expect(stats["streaks"]?["longest_win"]?.decimal == 1)
            #expect(stats["streaks"]?["longest_loss"]?.decimal == 2)
            #expect(stats["streaks"]?["current"]?.string == "win")
            let points = try #require(stats["mae_mfe"]?.array)
            #expect(points.count == 4)
            for point in points {
                #expect((point["mae"]?.decimal ?? 1) <= 0)
                #expect((point["mfe"]?.decimal ?? -1) >= 0)
            }
            // The winner opened Tuesday 11:00 came after two losses in a row.
            #expect(stats["discipline"]?["after_losses"]?.decimal == 2)
            #expect(stats["discipline"]?["counts"]?["after_losses"]?.decimal == 1)
            #expect(stats["discipline"]?["what_if"]?["after_losses"]?["remaining_pnl"]?.decimal == -1)
            let bad = try await client.api(.get, "/api/v1/journal/stats?after_losses=0")
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problemFields() == ["after_losses"])
            // The same filters as before apply.
            let filtered = try await client.api(.get, "/api/v1/journal/stats?tag=fade").value()
            #expect(filtered["trades"]?.decimal == 2)
            #expect(filtered["by_weekday"]?["mon"] == nil)
        }
    }

    @Test("a trade's review takes its excursion from the market's minute bars of the holding period")
    func review() async throws {
        try await withApp { client, _ in
            let bars = try #require(try await client.api(.get, "/api/v1/bars/AAPL?limit=120").value()["bars"]?.array)
            #expect(bars.count >= 60)
            let first = bars.count - 60, last = first + 20
            let window = Array(bars[first...last])
            let openedAt = try #require(window.first?["t"]?.string.flatMap(ISO8601.parse)).addingTimeInterval(10)
            let closedAt = try #require(window.last?["t"]?.string.flatMap(ISO8601.parse)).addingTimeInterval(5)
            let entry = try #require(window.first?["c"]?.decimal)
            let exit = try #require(window.last?["c"]?.decimal)
            let id = try await Self.post(client, """
                {"symbol": "AAPL", "side": "long", "entry_price": \(entry), "exit_price": \(exit), "quantity": 10,
                 "opened_at": "\(ISO8601.format(openedAt))", "closed_at": "\(ISO8601.format(closedAt))"}
                """)
            let response = try await client.api(.get, "/api/v1/journal/\(id)/review")
            #expect(response.status == .ok, "\(response.text)")
            let review = try response.value()
            let high = window.compactMap { $0["h"]?.decimal }.max()!, low = window.compactMap { $0["l"]?.decimal }.min()!
            let best = max(high, entry, exit), worst = min(low, entry, exit)
            #expect(review["excursion_source"]?.string == "bars")
            #expect(review["bars_used"]?.decimal == 21)
            #expect(review["best_price"]?.decimal == best)
            #expect(review["worst_price"]?.decimal == worst)
            #expect(review["mfe"]?.decimal == (best - entry) * 10)
            #expect(review["mae"]?.decimal == (worst - entry) * 10)
            #expect(review["holding_seconds"]?.decimal == Decimal(Int(closedAt.timeIntervalSince(openedAt))))
            #expect(review["multiplier"]?.decimal == 1)
            #expect(review["mae_r"]?.isNull == true, "no stop, no R")

            let missing = try await client.api(.get, "/api/v1/journal/\(UUID().uuidString)/review")
            #expect(missing.status == .notFound)
            #expect(missing.isProblem)

            // The trade detail's chart: exactly the bars the review measured.
            let chart = try await client.api(.get, "/api/v1/journal/\(id)/bars").value()
            #expect(chart["symbol"]?.string == "AAPL")
            #expect(chart["timespan"]?.string == "minute")
            let times = chart["bars"]?.array?.compactMap { $0["t"]?.string } ?? []
            #expect(times == window.compactMap { $0["t"]?.string }, "the 21 bars of the holding period")
            #expect(try await client.api(.get, "/api/v1/journal/\(UUID().uuidString)/bars").status == .notFound)
        }
    }
}
