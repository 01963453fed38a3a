import APIInput
import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The rules that keep real money safe, through the API (docs/operations.md, "Safety"): no order
/// sent twice, brackets exactly as previewed, exits retried and their positions flagged, limits
/// re-checked at confirm.
@Suite("Order safety")
struct OrderSafetyTests {
    static func tradier(_ fake: TradierFake) -> (inout AppConfig) -> Void {
        { config in
            config.tradier.accessToken = TradierFake.validToken
            config.tradier.accountID = TradierFake.defaultAccount
            config.tradier.baseURL = fake.baseURL.absoluteString
            config.brokerTimeoutSeconds = 1
        }
    }

    /// Polls an order until `done` holds (at most `seconds`).
    static func order(
        _ client: some TestClientProtocol, _ id: String, seconds: Int = 20, until done: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        var order: JSONValue = .null
        try await eventually(timeout: .seconds(seconds)) {
            order = try await client.api(.get, "/api/v1/orders/\(id)").value()
            return done(order)
        }
        return order
    }

    @Test("an order whose answer is lost is 'unknown', looked up by its tag and never sent again — also with the kill switch engaged in between",
          arguments: [false, true])
    func lostAnswerIsNeverResent(haltInBetween: Bool) async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setQuote("AAPL", last: 150)
        fake.setCash(50_000)
        try await withApp(configure: Self.tradier(fake)) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"AAPL","action":"buy","quantity":3,"type":"limit","limit_price":149}"#)
            let token = try #require(try preview.value()["confirmation_token"]?.string, "\(preview.text)")
            fake.holdNextOrder(for: .seconds(4))
            let placed = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
            #expect(placed.status == .serviceUnavailable, "\(placed.text)")
            let problem = try placed.json()
            #expect(problem["code"] as? String == "broker_outcome_unknown")
            let id = try #require(problem["order_id"] as? String)
            let unknown = try await client.api(.get, "/api/v1/orders/\(id)").value()
            #expect(unknown["status"]?.string == "unknown")
            let listed = try await client.api(.get, "/api/v1/orders?status=unknown").value()["orders"]?.array ?? []
            #expect(listed.contains { $0["id"]?.string == id })
            if haltInBetween {
                let halted = try await client.api(.post, "/api/v1/risk/halt", json: #"{"reason":"kill switch while the order is unknown"}"#)
                #expect(halted.status == .ok, "\(halted.text)")
            }
            let resolved = try await Self.order(client, id) { $0["status"]?.string == "open" }
            #expect(resolved["status"]?.string == "open", "resolves to the broker's state: \(resolved)")
            #expect(resolved["broker_order_id"]?.string == fake.order(tag: id).map { "\($0.id)" })
            let diagnostics = try await client.api(.get, "/api/v1/diag/broker").value()
            #expect((diagnostics["reconciliation_runs"]?.decimal ?? 0) >= 2, "reconciliation ran several times: \(diagnostics)")
            #expect(fake.placements.count == 1, "exactly one placement reached the broker")
            #expect(fake.orders.filter { $0.tag == id }.count == 1)
        }
        await fake.stop()
    }

    @Test("a bracket goes out with the exits frozen at preview, even if its plan is deleted; a refused exit is retried and its position flagged unprotected until it is placed")
    func bracketFrozenAndExitsRetried() async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setQuote("AAPL", last: 150)
        fake.setCash(50_000)
        try await withApp(configure: Self.tradier(fake)) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let plan = try await client.api(.post, "/api/v1/plans", json: #"{"symbol":"AAPL","side":"long","entry":150,"stop":145,"targets":[160]}"#).value()
            let planID = try #require(plan["id"]?.string)
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"AAPL","action":"buy","quantity":10,"type":"limit","limit_price":150,"plan_id":"\#(planID)","bracket":true}"#)
            #expect(preview.status == .ok, "\(preview.text)")
            let previewed = try preview.value()
            #expect(previewed["exits"]?.array?.compactMap { $0["stop_price"]?.decimal ?? $0["limit_price"]?.decimal }.sorted() == [145, 160])
            let token = try #require(previewed["confirmation_token"]?.string)
            // The plan changes after the preview: the confirmed order must not.
            #expect(try await client.api(.delete, "/api/v1/plans/\(planID)").status == .noContent)
            let placed = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
            #expect(placed.status == .created, "\(placed.text)")
            let id = try #require(try placed.value()["id"]?.string)
            let entry = try #require(fake.order(tag: id))

            // The first exit POST is answered 503 (nothing placed): the exit is retried.
            fake.failNext(.status(503), method: "POST")
            fake.fillOrder(id: entry.id, price: 150)
            var firings: [JSONValue] = []
            try await eventually {
                firings = try await client.api(.get, "/api/v1/risk/firings").value()["items"]?.array ?? []
                return firings.contains { $0["kind"]?.string == "unprotected_position" }
            }
            #expect(firings.contains { $0["kind"]?.string == "unprotected_position" && $0["symbol"]?.string == "AAPL" }, "unprotected raised: \(firings)")
            var exits: [TradierFakeOrder] = []
            await eventually(timeout: .seconds(15)) {
                exits = fake.orders.filter { $0.tag != id && $0.symbol == "AAPL" }
                return exits.count == 2
            }
            #expect(exits.count == 2, "both exits reach the broker: \(exits)")
            #expect(exits.compactMap { $0.stop }.contains(145), "the stop is the previewed one")
            #expect(exits.compactMap { $0.price }.contains(160), "the target is the previewed one")
            #expect(exits.allSatisfy { $0.quantity == 10 })
            var unprotected: [JSONValue] = [.null]
            try await eventually(timeout: .seconds(5)) {
                unprotected = try await client.api(.get, "/api/v1/diag/broker").value()["unprotected"]?.array ?? []
                return unprotected.isEmpty
            }
            #expect(unprotected.isEmpty, "cleared once the exits are placed")
            #expect(fake.placements.filter { $0.form["tag"] == id }.count == 1, "the entry went out once")
        }
        await fake.stop()
    }

    @Test("limits are re-checked at confirm: two previews each at 80% of the maximum position size cannot both be confirmed")
    func limitsRecheckedAtConfirm() async throws {
        try await withApp { client, _ in
            try await OrdersAPITests.waitReady(client)
            let patched = try await client.api(.patch, "/api/v1/settings", json: #"{"risk":{"max_position_size_pct":10}}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let equity = try #require(try await client.api(.get, "/api/v1/account").value()["equity"]?.decimal)
            let price = try await OrdersAPITests.lastPrice(client, "AAPL")
            // 80% of the limit each, as a limit order far below the market so it keeps working.
            var quantity = equity * Decimal(string: "0.08")! / price
            var rounded = Decimal()
            NSDecimalRound(&rounded, &quantity, 0, .down)
            let limit = (price / 2).rounded(scale: 2)
            let ticket = #"{"symbol":"AAPL","action":"buy","quantity":\#(rounded),"type":"limit","limit_price":\#(limit),"duration":"gtc"}"#
            let first = try await client.api(.post, "/api/v1/orders/preview", json: ticket)
            let second = try await client.api(.post, "/api/v1/orders/preview", json: ticket)
            #expect(first.status == .ok, "\(first.text)")
            #expect(second.status == .ok, "each preview alone is within the limit: \(second.text)")
            let firstToken = try #require(try first.value()["confirmation_token"]?.string)
            let secondToken = try #require(try second.value()["confirmation_token"]?.string)
            let placed = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(firstToken)"}"#)
            #expect(placed.status == .created, "\(placed.text)")
            let refused = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(secondToken)"}"#)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            let problem = try refused.value()
            #expect(problem["code"]?.string == "pre_trade_check_failed")
            #expect(problem["checks"]?.array?.contains { $0["name"]?.string == "max_position_size" && $0["outcome"]?.string == "fail" } == true)
            let working = try await client.api(.get, "/api/v1/orders?status=working").value()["orders"]?.array ?? []
            #expect(working.count == 1, "only the first order exists")
        }
    }
}
