import APIInput
import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The order workflow offline, through the API and the WebSocket: paper broker filling against
/// the simulated market.
@Suite("Orders API")
struct OrdersAPITests {
    static func waitReady(_ client: some TestClientProtocol) async throws {
        for _ in 0..<100 where try await client.execute(uri: "/ready", method: .get).status != .ok {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func lastPrice(_ client: some TestClientProtocol, _ symbol: String) async throws -> Decimal {
        let quotes = try await client.api(.get, "/api/v1/quotes?symbols=\(symbol)").value()
        return try #require(quotes["quotes"]?[0]?["last"]?.decimal)
    }

    /// Preview then confirm; returns the placed order.
    static func place(_ client: some TestClientProtocol, _ ticket: String) async throws -> JSONValue {
        let preview = try await client.api(.post, "/api/v1/orders/preview", json: ticket)
        #expect(preview.status == .ok, "\(preview.text)")
        let token = try #require(try preview.value()["confirmation_token"]?.string)
        let placed = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
        #expect(placed.status == .created, "\(placed.text)")
        return try placed.value()
    }

    static func order(_ client: some TestClientProtocol, _ id: String, until status: String) async throws -> JSONValue {
        var order = try await client.api(.get, "/api/v1/orders/\(id)").value()
        for _ in 0..<100 where order["status"]?.string != status {
            try await Task.sleep(for: .milliseconds(50))
            order = try await client.api(.get, "/api/v1/orders/\(id)").value()
        }
        return order
    }

    @Test("preview → confirm → fill → position → journal entry with P&L and R, with order, fill and position events")
    func endToEnd() async throws {
        try await withApp(testing: .live) { client, _ in
            try await Self.waitReady(client)
            let last = try await Self.lastPrice(client, "AAPL")
            let stop = (last - 2).rounded(scale: 2)
            let plan = try await client.api(.post, "/api/v1/plans", json: """
                {"symbol":"AAPL","side":"long","entry":\(last),"stop":\(stop),"targets":[\((last + 4).rounded(scale: 2))]}
                """)
            #expect(plan.status == .created, "\(plan.text)")
            let planID = try #require(try plan.value()["id"]?.string)

            let token = try #require(try await client.api(.post, "/api/v1/ws/token").json()["token"] as? String)
            let received = WebSocketTests.Received()
            try await client.ws("/api/v1/ws?token=\(token)") { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","topics":["orders"]}"#))
                try await Task.sleep(for: .milliseconds(200))
                let buy = try await Self.place(client, #"{"symbol":"AAPL","action":"buy","quantity":10,"type":"market","plan_id":"\#(planID)"}"#)
                let buyID = try #require(buy["id"]?.string)
                let filled = try await Self.order(client, buyID, until: "filled")
                #expect(filled["filled_quantity"]?.decimal == 10)
                #expect(filled["fills"]?.array?.count == 1)

                let positions = try await client.api(.get, "/api/v1/positions").value()
                let position = positions["positions"]?.array?.first { $0["symbol"]?.string == "AAPL" }
                #expect(position?["quantity"]?.decimal == 10)
                // Bought today: day P&L is measured from the fill, as the unrealised P&L is.
                #expect(position?["overnight_quantity"]?.decimal == 0)
                #expect(position?["day_realized_pnl"]?.decimal == 0)
                #expect(position?["day_pnl"]?.decimal != nil)
                #expect(position?["day_pnl"]?.decimal == position?["unrealized_pnl"]?.decimal)

                let sell = try await Self.place(client, #"{"symbol":"AAPL","action":"sell","quantity":10,"type":"market"}"#)
                _ = try await Self.order(client, try #require(sell["id"]?.string), until: "filled")
                let deadline = ContinuousClock.now + .seconds(5)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { received.add(text) }
                    let flat = received.of(type: "position").contains { ($0["data"] as? [String: Any])?["closed"] as? Bool == true }
                    if flat || ContinuousClock.now > deadline { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(received.of(type: "order").contains { ($0["data"] as? [String: Any])?["status"] as? String == "filled" })
            #expect(received.of(type: "fill").count == 2)
            #expect(received.of(type: "position").count == 2)

            let journal = try await client.api(.get, "/api/v1/journal?symbol=AAPL").value()
            let entries = journal["items"]?.array ?? []
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry["source"]?.string == "execution")
            #expect(entry["status"]?.string == "closed")
            #expect(entry["plan_id"]?.string == planID)
            #expect(entry["stop"]?.decimal == stop)
            let entryPrice = try #require(entry["entry_price"]?.decimal)
            let exitPrice = try #require(entry["exit_price"]?.decimal)
            let pnl = try #require(entry["pnl"]?.decimal)
            #expect(pnl == (exitPrice - entryPrice) * 10 - (entry["fees"]?.decimal ?? 0))
            let r = try #require(entry["r_multiple"]?.decimal)
            #expect(r == (pnl / ((entryPrice - stop) * 10)).rounded(scale: 2))

            let stats = try await client.api(.get, "/api/v1/journal/stats").value()
            #expect(stats["trades"]?.decimal == 1)
            #expect(stats["total_pnl"]?.decimal == pnl)
            #expect(stats["equity_curve"]?.array?.count == 1)
        }
    }

    @Test("a confirmation token places one order: a repeat returns the same order; unknown and missing tokens are refused")
    func confirmationTokens() async throws {
        try await withApp { client, _ in
            try await Self.waitReady(client)
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"limit","limit_price":1}"#).value()
            let token = try #require(preview["confirmation_token"]?.string)
            #expect(preview["checks"]?.array?.isEmpty == false)
            let first = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
            let again = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(try first.value()["id"] == (try again.value()["id"]))
            let orders = try await client.api(.get, "/api/v1/orders").value()["orders"]?.array ?? []
            #expect(orders.count == 1)

            let unknown = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"ct_nope"}"#)
            #expect(unknown.status == .conflict)
            #expect(try unknown.json()["code"] as? String == "confirmation_invalid")
            let missing = try await client.api(.post, "/api/v1/orders", json: #"{"symbol":"MSFT"}"#)
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problemFields().contains("confirmation_token"))
        }
    }

    @Test("bad tickets are 422 naming each field; a broker refusal is 422 broker_rejected; never a 500")
    func badInput() async throws {
        try await withApp { client, _ in
            try await Self.waitReady(client)
            let cases: [(String, [String])] = [
                (#"{"symbol":"MSFT","action":"buy","quantity":1.5,"type":"market"}"#, ["quantity"]),
                (#"{"symbol":"MSFT","action":"buy_to_open","quantity":1,"type":"market"}"#, ["action"]),
                (#"{"symbol":"MSFT","action":"buy","quantity":1,"type":"limit"}"#, ["limit_price"]),
                (#"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market","stop_price":5}"#, ["stop_price"]),
                (#"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market","bracket":true}"#, ["plan_id"]),
                (#"{"symbol":"1BAD","action":"hold","quantity":0,"type":"fok","duration":"ioc","extra":1}"#,
                 ["symbol", "action", "quantity", "type", "duration", "extra"]),
                (#"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market","plan_id":"not-a-uuid"}"#, ["plan_id"]),
            ]
            for (body, fields) in cases {
                let response = try await client.api(.post, "/api/v1/orders/preview", json: body)
                #expect(response.status == .unprocessableContent, "\(body) → \(response.text)")
                let named = try response.problemFields()
                for field in fields { #expect(named.contains(field), "\(field) not in \(named) for \(body)") }
            }
            let refused = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"sell","quantity":5,"type":"market"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json()["code"] as? String == "broker_rejected")
            let tooBig = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"buy","quantity":1000000,"type":"limit","limit_price":1000}"#)
            #expect(tooBig.status == .unprocessableContent, "\(tooBig.text)")
            let missingPlan = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"market","plan_id":"00000000-0000-0000-0000-000000000000"}"#)
            #expect(missingPlan.status == .unprocessableContent)
            #expect(try await client.api(.get, "/api/v1/orders/nope").status == .notFound)
            #expect(try await client.api(.delete, "/api/v1/orders/nope").status == .notFound)
        }
    }

    @Test("a working order is cancelled; cancelling it again is a 409")
    func cancel() async throws {
        try await withApp { client, _ in
            try await Self.waitReady(client)
            let order = try await Self.place(client, #"{"symbol":"MSFT","action":"buy","quantity":3,"type":"limit","limit_price":1,"duration":"gtc"}"#)
            let id = try #require(order["id"]?.string)
            let cancel = try await client.api(.delete, "/api/v1/orders/\(id)")
            #expect(cancel.status == .accepted, "\(cancel.text)")
            let canceled = try await Self.order(client, id, until: "canceled")
            #expect(canceled["status"]?.string == "canceled")
            let again = try await client.api(.delete, "/api/v1/orders/\(id)")
            #expect(again.status == .conflict)
            #expect(try again.json()["code"] as? String == "order_final")
        }
    }

    @Test("a bracket from a saved plan: the entry fills, then its stop and target work at the broker")
    func bracket() async throws {
        try await withApp { client, _ in
            try await Self.waitReady(client)
            let last = try await Self.lastPrice(client, "NVDA")
            let plan = try await client.api(.post, "/api/v1/plans", json: """
                {"symbol":"NVDA","side":"long","entry":\(last),"stop":\((last * Decimal(string: "0.9")!).rounded(scale: 2)),"targets":[\((last * Decimal(string: "1.2")!).rounded(scale: 2))]}
                """)
            let planID = try #require(try plan.value()["id"]?.string)
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"NVDA","action":"buy","quantity":5,"type":"market","plan_id":"\#(planID)","bracket":true}"#).value()
            #expect(preview["exits"]?.array?.count == 2)
            let token = try #require(preview["confirmation_token"]?.string)
            let entry = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#).value()
            _ = try await Self.order(client, try #require(entry["id"]?.string), until: "filled")
            var working: [JSONValue] = []
            for _ in 0..<100 {
                working = try await client.api(.get, "/api/v1/orders?status=open").value()["orders"]?.array ?? []
                if working.count == 2 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(Set(working.compactMap { $0["bracket_role"]?.string }) == ["stop", "target"])
            #expect(working.allSatisfy { $0["parent_id"] == entry["id"] && $0["action"]?.string == "sell" && $0["quantity"]?.decimal == 5 })

            // Closing the position by hand leaves nothing to protect: the exits are cancelled.
            _ = try await Self.place(client, #"{"symbol":"NVDA","action":"sell","quantity":5,"type":"market"}"#)
            for exit in working {
                let final = try await Self.order(client, try #require(exit["id"]?.string), until: "canceled")
                #expect(final["status"]?.string == "canceled", "\(final)")
            }
        }
    }

    @Test("a preview shows what the order does to open risk")
    func openRiskCheck() async throws {
        try await withApp { client, _ in
            try await Self.waitReady(client)
            _ = try await client.api(.get, "/api/v1/risk")
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"AAPL","action":"buy","quantity":40,"type":"market"}"#).value()
            let check = preview["checks"]?.array?.first { $0["name"]?.string == "max_open_risk" }
            #expect(check?["outcome"]?.string == "warn", "no stop: the whole cost (≈ 9 % of equity) is over the 6 % limit: \(String(describing: check))")
            let small = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"market"}"#).value()
            #expect(small["checks"]?.array?.first { $0["name"]?.string == "max_open_risk" }?["outcome"]?.string == "pass")
        }
    }
}
