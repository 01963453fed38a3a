import AsyncHTTPClient
import Foundation
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine

/// The adapter against the loopback Tradier fake (contract section 2).
@Suite struct TradierBrokerTests {
    @Test func placePollsOpenThenReportsTheFill() async throws {
        let h = try await TradierHarness.start()
        let request = Orders.limitBuy()
        let id = try await h.broker.place(request, clientOrderID: "ord-1")
        let open = try #require(await h.collector.waitForOrder("ord-1", status: .open))
        #expect(open.brokerOrderID == id)
        #expect(open.request.planID == request.planID)  // our plan metadata survives the round trip
        #expect(open.request.bracketRole == .entry)
        let post = try #require(h.requests("POST", suffix: "/orders").first)
        #expect(post.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(post.form == ["class": "equity", "symbol": "AAPL", "side": "buy", "quantity": "10", "type": "limit", "duration": "day", "price": "187.25", "tag": "ord-1"])
        #expect(h.fake.order(tag: "ord-1")?.id == Int(id))

        #expect(h.fake.fillOrder(id: try #require(Int(id)), price: dec("187.2")))
        let filled = try #require(await h.collector.waitForOrder("ord-1", status: .filled))
        #expect(filled.filledQuantity == 10)
        #expect(filled.averageFillPrice == dec("187.2"))
        let fills = h.collector.fills
        #expect(fills.count == 1)
        #expect(fills.first?.id == "\(id)-10")
        #expect(fills.first?.price == dec("187.2"))
        #expect(fills.first?.quantity == 10)
        #expect(fills.first?.clientOrderID == "ord-1")
        let positions = try await h.broker.positions()
        #expect(positions.map(\.symbol.rawValue) == ["AAPL"])
        #expect(positions.first?.quantity == 10)
        #expect(positions.first?.averagePrice == dec("187.2"))
        // Once nothing is working, polling stops.
        let polls = h.requests("GET", suffix: "/orders").count
        try await Task.sleep(for: .milliseconds(300))
        #expect(h.requests("GET", suffix: "/orders").count <= polls + 1)
        await h.stop()
    }

    @Test func partialFillsBecomeSeparateFillsWithStableIDs() async throws {
        let h = try await TradierHarness.start()
        let id = try #require(Int(try await h.broker.place(Orders.limitBuy(quantity: 10, price: "11"), clientOrderID: "part-1")))
        _ = await h.collector.waitForOrder("part-1", status: .open)
        h.fake.fillOrder(id: id, price: dec("10"), quantity: 4)
        _ = await h.collector.waitForOrder("part-1", status: .partiallyFilled)
        h.fake.fillOrder(id: id, price: dec("11"))
        _ = await h.collector.waitForOrder("part-1", status: .filled)
        let fills = h.collector.fills
        #expect(fills.map(\.id) == ["\(id)-4", "\(id)-10"])
        #expect(fills.map(\.quantity) == [4, 6])
        #expect(fills.map(\.price) == [dec("10"), dec("11")])
        await h.stop()
    }

    @Test func aRejectionAfterAcceptanceIsDetected() async throws {
        let h = try await TradierHarness.start()
        let id = try #require(Int(try await h.broker.place(Orders.limitBuy(), clientOrderID: "rej-1")))
        _ = await h.collector.waitForOrder("rej-1", status: .open)
        h.fake.rejectOrder(id: id, reason: "DayTradingBuyingPowerExceeded")
        let rejected = try #require(await h.collector.waitForOrder("rej-1", status: .rejected))
        #expect(rejected.reason == "DayTradingBuyingPowerExceeded")
        #expect(h.collector.fills.isEmpty)
        await h.stop()
    }

    @Test func cancelOfAFinalizedOrderIsSuccess() async throws {
        let h = try await TradierHarness.start(polling: false)
        let working = try await h.broker.place(Orders.limitBuy(), clientOrderID: "c-1")
        try await h.broker.cancel(brokerOrderID: working)
        #expect(h.fake.order(tag: "c-1")?.status == "canceled")
        try await h.broker.cancel(brokerOrderID: working)  // second time: 400 "already in finalized state"
        let deletes = h.requests("DELETE", suffix: "/orders/\(working)")
        #expect(deletes.count == 2)
        let filled = try await h.broker.place(Orders.limitBuy(), clientOrderID: "c-2")
        h.fake.fillOrder(id: try #require(Int(filled)), price: dec("187"))
        try await h.broker.cancel(brokerOrderID: filled)
        await #expect(throws: BrokerError.self) { try await h.broker.cancel(brokerOrderID: "999999") }
        await h.stop()
    }

    @Test func modifySendsOnlyTheChange() async throws {
        let h = try await TradierHarness.start(polling: false)
        let id = try await h.broker.place(Orders.limitBuy(), clientOrderID: "m-1")
        try await h.broker.modify(brokerOrderID: id, OrderChange(limitPrice: dec("186.5")))
        let put = try #require(h.requests("PUT", suffix: "/orders/\(id)").first)
        #expect(put.form == ["price": "186.5"])
        #expect(h.fake.order(tag: "m-1")?.price == dec("186.5"))
        await h.stop()
    }

    @Test func unknownTokenIsUnauthorizedAndNeverPrinted() async throws {
        let secret = "wrong-secret-token-4242"
        let h = try await TradierHarness.start(token: secret, polling: false)
        do {
            _ = try await h.broker.account()
            Issue.record("expected unauthorized")
        } catch {
            #expect(error == .unauthorized("Invalid Access Token"))
            #expect(!error.description.contains(secret))
        }
        #expect(h.fake.requests.count == 1)  // credentials are not retried
        await h.stop()
    }

    @Test func everyRequestAsksForJSONAndTheFakeAnswersXMLOtherwise() async throws {
        let h = try await TradierHarness.start(polling: false)
        _ = try await h.broker.account()
        _ = try await h.broker.orders()
        _ = try await h.broker.preview(Orders.optionBuy())
        _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "xml-1")
        #expect(h.fake.requests.count == 4)
        for request in h.fake.requests {
            #expect(request.headers["accept"] == "application/json")
            #expect(request.headers["authorization"] == "Bearer \(TradierFake.validToken)")
        }
        var raw = HTTPClientRequest(url: h.fake.baseURL.absoluteString + "accounts/\(TradierFake.defaultAccount)/orders?includeTags=true")
        raw.headers.add(name: "Authorization", value: "Bearer \(TradierFake.validToken)")
        let response = try await HTTPClient.shared.execute(raw, timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(text.hasPrefix("<?xml"))
        #expect(text.contains("<orders><order><id>"))
        #expect(text.contains("<tag>xml-1</tag>"))
        if case .malformed = TradierWire.error(status: 200, body: Data(text.utf8)) {} else { Issue.record("XML must not parse") }
        // A JSON body on a write is refused by the fake (the client always sends a form).
        var json = HTTPClientRequest(url: h.fake.baseURL.absoluteString + "accounts/\(TradierFake.defaultAccount)/orders")
        json.method = .POST
        json.headers.add(name: "Authorization", value: "Bearer \(TradierFake.validToken)")
        json.headers.add(name: "Content-Type", value: "application/json")
        json.body = .bytes(.init(string: #"{"class":"equity"}"#))
        #expect(try await HTTPClient.shared.execute(json, timeout: .seconds(5)).status.code == 400)
        await h.stop()
    }

    @Test func rejectionsFromValidationAndFromA200() async throws {
        let h = try await TradierHarness.start(polling: false)
        h.fake.failNextOrder(errors: ["Backoffice rejected override of the order.", "DayTradingBuyingPowerExceeded"], status: 200)
        await #expect(throws: BrokerError.rejected(code: "broker_rejected", reason: "Backoffice rejected override of the order.; DayTradingBuyingPowerExceeded")) {
            try await h.broker.place(Orders.limitBuy(), clientOrderID: "v-1")
        }
        h.fake.failNextOrder(errors: ["type is invalid for class option"], status: 400, singleString: true)
        await #expect(throws: BrokerError.rejected(code: "broker_rejected", reason: "type is invalid for class option")) {
            try await h.broker.place(Orders.optionBuy(), clientOrderID: "v-2")
        }
        h.fake.failNextPreview(legacyMessage: "You do not have enough buying power for this trade.")
        await #expect(throws: BrokerError.rejected(code: "broker_rejected", reason: "You do not have enough buying power for this trade.")) {
            try await h.broker.preview(Orders.limitBuy())
        }
        let preview = try await h.broker.preview(Orders.optionBuy())
        #expect(preview.commission == dec("0.7"))
        #expect(h.fake.orders.isEmpty)
        await h.stop()
    }

    @Test func lookupByTagFallsBackToTheMonthOnlyWhenNeeded() async throws {
        let h = try await TradierHarness.start(polling: false)
        _ = try await h.broker.place(Orders.limitBuy(), clientOrderID: "today-1")
        #expect(try await h.broker.order(clientOrderID: "today-1")?.status == .open)
        #expect(h.fake.requests.filter { $0.query["filter"] == "all" }.isEmpty)
        let old = h.fake.insertOrder(TradierFakeOrder(symbol: "MSFT", side: "sell", quantity: 3, status: "open", tag: "old-1"))
        h.fake.fillOrder(id: old, price: dec("410.5"))
        h.fake.makeHistorical(id: old)
        let found = try #require(try await h.broker.order(clientOrderID: "old-1"))
        #expect(found.status == .filled)
        #expect(found.averageFillPrice == dec("410.5"))
        #expect(try await h.broker.order(clientOrderID: "never-sent") == nil)
        #expect(try await h.broker.order(clientOrderID: "not a tag") == nil)
        #expect(h.fake.requests.filter { $0.query["filter"] == "all" }.count == 1)  // cached
        #expect(h.fake.requests.filter { $0.method == "GET" && $0.path.contains("/orders") }.allSatisfy { $0.query["includeTags"] == "true" })
        await h.stop()
    }

    @Test func collectionsInEveryShapeAndForeignOrders() async throws {
        let h = try await TradierHarness.start(polling: false) { $0.emptyAsJSONNull = true }
        #expect(try await h.broker.positions().isEmpty)
        #expect(try await h.broker.orders().isEmpty)
        h.fake.settings.emptyAsJSONNull = false
        #expect(try await h.broker.positions().isEmpty)
        h.fake.setPosition("AAPL", quantity: 5, costBasis: dec("1000"))
        #expect(try await h.broker.positions().map(\.averagePrice) == [dec("200")])
        h.fake.setPosition("SPY240119C00470000", quantity: -2, costBasis: dec("300"))
        #expect(try await h.broker.positions().count == 2)
        let foreign = h.fake.insertOrder(TradierFakeOrder(symbol: "IBM", side: "buy", quantity: 1, status: "open"))
        #expect(try await h.broker.orders().map(\.clientOrderID) == ["tradier-\(foreign)"])
        let account = try await h.broker.account()
        #expect(account.accountNumber == TradierFake.defaultAccount)
        #expect(account.cash == 100_000)
        #expect(account.buyingPower == 200_000)
        await h.stop()
    }

    @Test func longOrderListsArePaged() async throws {
        let h = try await TradierHarness.start(polling: false)
        for index in 0..<130 {
            h.fake.insertOrder(TradierFakeOrder(symbol: "F", side: "buy", quantity: 1, status: "filled", tag: "bulk-\(index)"))
        }
        let orders = try await h.broker.orders()
        #expect(orders.count == 130)
        #expect(Set(orders.map(\.clientOrderID)).count == 130)
        #expect(h.requests("GET", suffix: "/orders").map { $0.query["page"] } == ["1", "2"])
        await h.stop()
    }
}
