import APIInput
import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The whole server with the Tradier adapter against the loopback Tradier fake.
@Suite("Server with the Tradier broker")
struct TradierModeTests {
    /// The server with the Tradier broker on `fake` (started by the caller).
    func withTradierApp(_ fake: TradierFake, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withApp(configure: {
            $0.tradier.accessToken = TradierFake.validToken
            $0.tradier.accountID = TradierFake.defaultAccount
            $0.tradier.baseURL = fake.baseURL.absoluteString
        }) { client, _ in try await body(client) }
    }

    @Test("Size It with a Tradier account: 1 % risk of the broker's equity, not the settings'; the answer says account_source broker")
    func sizingFromTradierEquity() async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setCash(12_000)
        try await withTradierApp(fake) { client in
            try await client.api(.patch, "/api/v1/settings", json: #"{"account":{"equity":250000},"risk":{"risk_per_trade_pct":1}}"#)
            let answer = try await client.api(.post, "/api/v1/sizing/suggest", json: #"{"symbol":"AAPL","side":"long","entry":20,"stop":19}"#)
            #expect(answer.status == .ok, "\(answer.text)")
            let body = try answer.value()
            #expect(body["account_source"]?.string == "broker")
            #expect(body["equity"]?.decimal == 12_000, "Tradier's total_equity")
            #expect(body["risk_budget"]?.decimal == 120, "1 % of 12,000")
            #expect(body["quantity"]?.decimal == 120)
        }
        await fake.stop()
    }

    @Test("preview → confirm reaches Tradier tagged with our id; the fake's fill becomes a filled order and a journal entry; a later rejection is shown")
    func workflow() async throws {
        let fake = TradierFake()
        try await fake.start()
        fake.setQuote("AAPL", last: 150)
        fake.setCash(50_000)
        try await withTradierApp(fake) { client in
            try await OrdersAPITests.waitReady(client)
            let account = try await client.api(.get, "/api/v1/account").value()
            #expect(account["broker"]?.string == "tradier")
            #expect(account["environment"]?.string == "sandbox")

            let order = try await OrdersAPITests.place(client, #"{"symbol":"AAPL","action":"buy","quantity":4,"type":"limit","limit_price":150}"#)
            let id = try #require(order["id"]?.string)
            let atBroker = try #require(fake.order(tag: id), "the broker got the order tagged with our client order id")
            #expect(fake.orders.count == 1)
            fake.fillOrder(id: atBroker.id, price: 150)
            let filled = try await OrdersAPITests.order(client, id, until: "filled")
            #expect(filled["status"]?.string == "filled")
            var journal: [JSONValue] = []
            for _ in 0..<100 {
                journal = try await client.api(.get, "/api/v1/journal").value()["items"]?.array ?? []
                if !journal.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(journal.first?["quantity"]?.decimal == 4)
            #expect(journal.first?["entry_price"]?.decimal == 150)

            // Accepted with 200, then rejected downstream: polling shows it.
            let second = try await OrdersAPITests.place(client, #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"limit","limit_price":100}"#)
            let secondID = try #require(second["id"]?.string)
            fake.rejectOrder(id: try #require(fake.order(tag: secondID)).id, reason: "Backoffice rejected the order")
            let rejected = try await OrdersAPITests.order(client, secondID, until: "rejected")
            #expect(rejected["status"]?.string == "rejected")
            #expect(rejected["reason"]?.string?.contains("Backoffice") == true)

            // A refusal at placement is a 422 with the broker's words.
            let preview = try await client.api(.post, "/api/v1/orders/preview", json: #"{"symbol":"AAPL","action":"buy","quantity":1,"type":"limit","limit_price":100}"#).value()
            let token = try #require(preview["confirmation_token"]?.string)
            fake.failNextOrder(errors: ["DayTradingBuyingPowerExceeded"])
            let refused = try await client.api(.post, "/api/v1/orders", json: #"{"confirmation_token":"\#(token)"}"#)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("DayTradingBuyingPowerExceeded"))
            #expect(!refused.text.contains(TradierFake.validToken))
        }
        await fake.stop()
    }
}
