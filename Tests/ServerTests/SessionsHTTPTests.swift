import APIInput
import Foundation
import HummingbirdTesting
import Server
import Simulation
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The HTTP side of market sessions (the rules themselves are tested on the engines and the
/// domain): the preview's `session` check, a queued paper market order, `pre` / `post` input and an
/// alert's `sessions`, with the server clock on a Saturday.
@Suite("Market sessions over HTTP")
struct SessionsHTTPTests {
    @Test("Saturday: the preview warns when a market order executes; the paper order is queued, says so, and does not fill")
    func saturdayMarketOrder() async throws {
        let market = ScriptedMarket(defaultPrice: 100)
        try await withApp(configure: { $0.simulation.session = .calendar }, clock: TestMarketTime(start: TestMarketTime.saturday).clock, marketFeed: market) { client, components in
            try await OrdersAPITests.waitReady(client)
            let ticket = #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"market"}"#
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: ticket)
            #expect(preview.status == .ok, "\(preview.text)")
            let checks = try preview.value()["checks"]?.array ?? []
            let session = try #require(checks.first { $0["name"]?.string == "session" })
            #expect(session["outcome"]?.string == "warn")
            #expect(session["detail"]?.string?.contains("Mon 2026-11-30 09:30 New York time") == true, "\(session)")
            #expect(checks.first { $0["name"]?.string == "price" }?["outcome"]?.string == "pass")
            let token = try #require(try preview.value()["confirmation_token"]?.string)
            let placed = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
            #expect(placed.status == .created, "\(placed.text)")
            let id = try #require(try placed.value()["id"]?.string)
            let open = try await OrdersAPITests.order(client, id, until: "open")
            #expect(open["status"]?.string == "open")
            #expect(open["reason"]?.string?.contains("queued") == true, "\(open)")
            // One matching pass of the paper broker now, rather than waiting for its next second.
            let paper = try #require(components.orders.broker as? PaperBroker)
            await paper.sweep()
            let still = try await client.api(.get, "/api/v1/orders/\(id)").value()
            #expect(still["status"]?.string == "open", "no fill on a Saturday: \(still)")
        }
    }

    @Test("pre and post take limit orders on equities: 422 naming duration otherwise; a post limit previews with its session")
    func extendedDurations() async throws {
        // The market's calendar, not the simulator's always-open demo calendar.
        try await withApp(configure: { $0.simulation.session = .calendar }) { client, _ in
            for body in [
                #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"market","duration":"pre"}"#,
                #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"stop","stop_price":90,"duration":"post"}"#,
                #"{"symbol":"AAPL261218C00200000","action":"buy_to_open","quantity":1,"type":"limit","limit_price":1,"duration":"post"}"#,
            ] {
                let response = try await client.api(.post, "/api/v1/orders/preview", json: body)
                #expect(response.status == .unprocessableContent, "\(body): \(response.text)")
                #expect(response.text.contains("\"duration\""), "\(response.text)")
            }
            try await OrdersAPITests.waitReady(client)
            let post = try await client.api(.post, "/api/v1/orders/preview",
                                            json: #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"limit","limit_price":1,"duration":"post"}"#)
            #expect(post.status == .ok, "\(post.text)")
            let session = try post.value()["checks"]?.array?.first { $0["name"]?.string == "session" }
            #expect(session?["detail"]?.string?.contains("after-hours session from Tue 2026-12-01 16:00") == true, "\(String(describing: session))")
        }
    }

    @Test("an alert's sessions is stored and shown (extended by default); a bad value is 422 naming sessions")
    func alertSessions() async throws {
        try await withApp { client, _ in
            let plain = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":9999}"#)
            #expect(plain.status == .created, "\(plain.text)")
            #expect(try plain.value()["sessions"]?.string == "extended")
            let regular = try await client.api(.post, "/api/v1/alerts",
                                               json: #"{"symbol":"AAPL","type":"price_above","threshold":9999,"sessions":"regular"}"#)
            #expect(try regular.value()["sessions"]?.string == "regular")
            let id = try #require(try regular.value()["id"]?.string)
            #expect(try await client.api(.get, "/api/v1/alerts/\(id)").value()["sessions"]?.string == "regular")
            let patched = try await client.api(.patch, "/api/v1/alerts/\(id)", json: #"{"sessions":"extended"}"#)
            #expect(try patched.value()["sessions"]?.string == "extended")
            let bad = try await client.api(.post, "/api/v1/alerts", json: #"{"symbol":"AAPL","type":"price_above","threshold":1,"sessions":"night"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("\"sessions\""), "\(bad.text)")
        }
    }
}
