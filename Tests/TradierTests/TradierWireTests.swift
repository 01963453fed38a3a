import Foundation
import Testing
import Tradier
import TradingDomain
import TradingEngine

/// Every recorded Tradier response (shared/contracts/fixtures/tradier) decoded into our types.
@Suite struct TradierWireTests {
    @Test func everyFixtureIsJSONWeCanParse() throws {
        for name in TradierFixtures.all {
            #expect(throws: Never.self, "\(name)") { try TradierJSON.parse(try TradierFixtures.data(name)) }
        }
    }

    @Test func balancesKeepEveryDigitAndUseTheMarginBuyingPower() throws {
        let account = try TradierWire.account(try TradierFixtures.data("balances-margin.json"), asOf: Date(timeIntervalSince1970: 0))
        #expect(account.broker == "tradier")
        #expect(account.accountNumber == "VA00000000")
        #expect(account.equity == dec("17798.36"))
        #expect(account.cash == dec("6363.86"))
        #expect(account.buyingPower == dec("12727.72"))
        #expect(account.longMarketValue == dec("11434.5"))
        #expect(account.shortMarketValue == 0)
        #expect(account.realizedPnLToday == dec("-4813"))
    }

    @Test func cashAndPDTSubObjectsGiveTheBuyingPower() throws {
        let cash = try TradierWire.account(body(#"{"balances":{"account_number":"X1","account_type":"cash","total_equity":10,"total_cash":5000.5,"cash":{"cash_available":4343.38,"sweep":0,"unsettled_funds":1310.00}}}"#))
        #expect(cash.buyingPower == dec("4343.38"))
        let pdt = try TradierWire.account(body(#"{"balances":{"account_number":"X1","account_type":"pdt","total_cash":1,"pdt":{"fed_call":0,"maintenance_call":0,"option_buying_power":1,"stock_buying_power":40000.25,"stock_short_value":0}}}"#))
        #expect(pdt.buyingPower == dec("40000.25"))
    }

    @Test func decimalsAreExactWhereDoubleIsNot() throws {
        let text = "17798.360000000000000000000000"
        #expect(TradierJSON.exactDecimal(text) == dec("17798.36"))
        #expect(TradierJSON.exactDecimal("0.1000000000000000000000000000000000000000000001") != nil)
        #expect(TradierJSON.exactDecimal("-4813.000000000000000000") == dec("-4813"))
        #expect(TradierJSON.exactDecimal("1.5e3") == dec("1500"))
        #expect(TradierJSON.exactDecimal("12.") == nil)
        // JSONSerialization goes through Double and is lossy on Linux (34.715100000000 reads as
        // 34.71510000000000512; JSONDecoder into Decimal was exact in Swift 6.3). Ours parses the text.
        let preview = try TradierJSON.parse(try TradierFixtures.data("preview-order.json"))
        #expect(preview["order"]["cost"].decimal == dec("34.7151"))
    }

    @Test func ordersListMapsBothOrdersWithoutTagsToForeignIDs() throws {
        let list = try TradierWire.orders(try TradierFixtures.data("orders-list.json"))
        #expect(list.skipped.isEmpty)
        try #require(list.orders.count == 2)
        let equity = list.orders[0].order
        #expect(equity.clientOrderID == "tradier-228175")
        #expect(equity.brokerOrderID == "228175")
        #expect(equity.request.symbol.rawValue == "AAPL")
        #expect(equity.request.action == .buy)
        #expect(equity.request.type == .limit)
        #expect(equity.request.limitPrice == dec("22"))
        #expect(equity.request.quantity == 50)
        #expect(equity.request.duration == .pre, "pre and post are read as Tradier reports them")
        #expect(equity.status == .expired)
        #expect(equity.filledQuantity == 0)
        #expect(equity.averageFillPrice == nil)
        #expect(equity.createdAt == TradierDates.iso("2018-06-01T12:02:29.682Z"))
        #expect(abs(equity.createdAt.timeIntervalSince1970 - 1_527_854_549.682) < 0.001)
        #expect(equity.updatedAt == TradierDates.iso("2018-06-01T12:30:02.385Z"))
        let option = list.orders[1].order
        #expect(option.request.symbol.rawValue == "SPY180720C00274000")
        #expect(option.request.symbol.isOption)
        #expect(option.request.action == .buyToOpen)
        #expect(option.request.type == .market)
        #expect(option.request.limitPrice == nil)
    }

    @Test func singleOrderObjectAndTagsAndEmptyLists() throws {
        let single = try TradierWire.orders(try TradierFixtures.data("orders-single-object.json")).orders
        try #require(single.count == 1)
        #expect(single[0].order.status == .filled)
        #expect(single[0].order.filledQuantity == 128)
        #expect(single[0].order.averageFillPrice == dec("115.83"))
        #expect(single[0].lastFillPrice == dec("115.83"))
        #expect(single[0].order.request.duration == .gtc)
        #expect(try TradierWire.orders(try TradierFixtures.data("orders-empty-null-string.json")).orders.isEmpty)
        #expect(try TradierWire.orders(try TradierFixtures.data("orders-empty-json-null.json")).orders.isEmpty)
        let tagged = try TradierWire.singleOrder(body(#"{"order":{"id":7,"type":"stop_limit","symbol":"TSLA","side":"sell_short","quantity":3.0,"status":"pending","duration":"day","price":200.5,"stop_price":201.0,"avg_fill_price":0,"exec_quantity":0,"create_date":"2024-01-02T15:00:00.000Z","class":"equity","tag":"ord-abc-1","reason_description":null}}"#))
        #expect(tagged.order.clientOrderID == "ord-abc-1")
        #expect(tagged.order.status == .submitted)
        #expect(tagged.order.request.stopPrice == dec("201"))
        #expect(tagged.order.request.limitPrice == dec("200.5"))
        #expect(tagged.order.reason == nil)
    }

    @Test func multilegOrdersAreSkippedWithAReason() throws {
        let list = try TradierWire.orders(body(#"{"orders":{"order":[{"id":1,"type":"debit","symbol":"SPY","status":"open","class":"multileg","num_legs":2,"leg":[]},{"id":2,"type":"market","symbol":"SPY","side":"buy","quantity":1,"status":"open","class":"equity"}]}}"#))
        #expect(list.orders.map(\.id) == ["2"])
        #expect(list.skipped.count == 1)
    }

    @Test func positionsInEveryShape() throws {
        #expect(try TradierWire.positions(try TradierFixtures.data("positions-empty-null-string.json")).isEmpty)
        #expect(try TradierWire.positions(body(#"{"positions":null}"#)).isEmpty)
        let one = try TradierWire.positions(try TradierFixtures.data("positions-single-object.json"))
        #expect(one == [BrokerPosition(symbol: Symbol(trusted: "AAPL"), quantity: 1, averagePrice: dec("207.01"), openedAt: TradierDates.iso("2018-08-08T14:41:11.405Z"))])
        let list = try TradierWire.positions(try TradierFixtures.data("positions-list.json"))
        #expect(list.count == 2)
        #expect(list[1].symbol.rawValue == "AMZN")
        #expect(list[1].quantity == -1)
        #expect(list[1].side == .short)
        #expect(list[1].averagePrice == dec("1870.7"))
        let option = try TradierWire.positions(body(#"{"positions":{"position":{"cost_basis":450.00,"date_acquired":"2024-01-02T15:00:00.000Z","id":1,"quantity":3.00000000,"symbol":"AAPL240119C00190000"}}}"#))
        #expect(option.first?.averagePrice == dec("1.5"))  // 450 / (3 × 100)
    }

    @Test func placementAndAcknowledgements() throws {
        #expect(try TradierWire.placement(try TradierFixtures.data("place-order.json")) == "257459")
        #expect(try TradierWire.placement(body(#"{"order":{"id":5,"status":"OK"}}"#)) == "5")
        #expect(try TradierWire.acknowledgement(try TradierFixtures.data("cancel-or-modify-order.json"))["id"].string == "123456")
        #expect(throws: BrokerError.malformed("placement answer without an order id")) { try TradierWire.placement(body(#"{"order":{"status":"ok"}}"#)) }
    }

    @Test func previewMapsCostsAndWarnings() throws {
        let request = OrderRequest(symbol: Symbol(trusted: "T"), action: .buy, quantity: 1, type: .market)
        let preview = try TradierWire.preview(try TradierFixtures.data("preview-order.json"), request: request)
        #expect(preview.commission == dec("3.49"))
        #expect(preview.fees == 0)
        #expect(preview.estimatedCost == dec("31.2251"))
        #expect(preview.estimatedPrice == dec("31.2251"))
        #expect(preview.warnings.count == 1)
        #expect(preview.warnings.first?.contains("pattern day trader") == true)
        let legacy = body(#"{"order":{"errors":"You do not have enough buying power for this trade.","result":false,"status":"Bad Request"}}"#)
        #expect(throws: BrokerError.rejected(code: "broker_rejected", reason: "You do not have enough buying power for this trade.")) {
            try TradierWire.preview(legacy, request: request)
        }
        let nested = body(#"{"order":{"errors":{"error":["a","b"]},"result":false}}"#)
        #expect(throws: BrokerError.rejected(code: "broker_rejected", reason: "a; b")) { try TradierWire.preview(nested, request: request) }
    }

    @Test func profileClockAndQuotes() throws {
        let accounts = try TradierWire.profile(try TradierFixtures.data("profile-single-account.json"))
        #expect(accounts.map(\.accountNumber) == ["VA000001"])
        #expect(accounts.first?.type == "margin")
        #expect(accounts.first?.optionLevel == 6)
        #expect(accounts.first?.dayTrader == false)
        let clock = try TradierWire.clock(try TradierFixtures.data("clock.json"))
        #expect(clock.state == "open")
        #expect(clock.nextState == "postmarket")
        #expect(clock.timestamp == Date(timeIntervalSince1970: 1_557_156_988))
        let unmatched = try TradierWire.quotes(try TradierFixtures.data("quotes-all-unmatched.json"))
        #expect(unmatched.quotes.isEmpty)
        #expect(unmatched.unmatched == ["XYZ"])
        #expect(try TradierWire.quotes(body(#"{"quotes":{"unmatched_symbols":"BOGUS"}}"#)).unmatched == ["BOGUS"])
        #expect(try TradierWire.quotes(body(#"{"quotes":{"unmatched_symbols":{"symbol":["A","B"]}}}"#)).unmatched == ["A", "B"])
        let premarket = try TradierWire.quotes(try TradierFixtures.data("quotes-single-premarket-null-ohlc.json"))
        #expect(premarket.quotes.count == 1)
        #expect(premarket.quotes.first?.last == dec("463.37"))
        #expect(premarket.quotes.first?.open == nil)
        #expect(premarket.quotes.first?.close == nil)
        #expect(premarket.quotes.first?.tradeDate == Date(timeIntervalSince1970: 1_440_446_400))
    }

    @Test func errorsFaultsAndPagesMapToBrokerErrors() throws {
        let array = try TradierFixtures.data("errors-array.json")
        let joined = "Backoffice rejected override of the order.; DayTradingBuyingPowerExceeded"
        #expect(TradierWire.error(status: 200, body: array) == .rejected(code: "broker_rejected", reason: joined))
        #expect(TradierWire.error(status: 400, body: array) == .rejected(code: "broker_rejected", reason: joined))
        let single = try TradierFixtures.data("errors-single-string.json")
        #expect(TradierWire.error(status: 400, body: single) == .rejected(code: "broker_rejected", reason: "type is invalid for class option"))
        let fault = try TradierFixtures.data("fault-token-expired.json")
        #expect(TradierWire.error(status: 401, body: fault) == .unauthorized("Access Token expired"))
        #expect(TradierWire.error(status: 200, body: fault) == .unauthorized("Access Token expired"))
        #expect(TradierWire.error(status: 503, body: body(#"{"fault":{"faultstring":"Datastore Error"}}"#)) == .unavailable("HTTP 503: Datastore Error"))
        #expect(TradierWire.error(status: 401, body: body("invalid api call as no apiproduct match found")) == .unauthorized("invalid api call as no apiproduct match found"))
        #expect(TradierWire.error(status: 429, body: Data(), retryAfter: 3) == .rateLimited(retryAfter: 3))
        #expect(TradierWire.error(status: 404, body: Data()) == .notFound("HTTP 404"))
        let page = body("<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body>x</body></html>")
        #expect(TradierWire.error(status: 502, body: page) == .unavailable("HTTP 502: Down for maintenance"))
        if case .unavailable = TradierWire.error(status: 200, body: page) {} else { Issue.record("HTML with 200 must be unavailable") }
        let xml = body(#"<?xml version="1.0" encoding="UTF-8"?><orders><order><id>1</id></order></orders>"#)
        if case .malformed(let text) = TradierWire.error(status: 200, body: xml) { #expect(text.contains("Accept")) } else { Issue.record("XML must be malformed") }
        #expect(TradierWire.error(status: 200, body: try TradierFixtures.data("orders-list.json")) == nil)
        #expect(TradierWire.isAlreadyFinal(.rejected(code: "broker_rejected", reason: "order already in finalized state: filled")))
    }

    @Test func datesInEveryFormat() {
        #expect(abs((TradierDates.parse(.string("2018-06-01T12:02:29.682Z"))?.timeIntervalSince1970 ?? 0) - 1_527_854_549.682) < 0.0005)
        // Zone-less preview time is New York wall clock (EDT in May: UTC−4).
        #expect(TradierDates.parse(.string("2019-05-14T15:56:47.371")) == TradierDates.iso("2019-05-14T19:56:47.371Z"))
        #expect(TradierDates.parse(.number("1440490442000")) == Date(timeIntervalSince1970: 1_440_490_442))
        #expect(TradierDates.parse(.string("1557757189000")) == Date(timeIntervalSince1970: 1_557_757_189))
        #expect(TradierDates.parse(.number("1557156988")) == Date(timeIntervalSince1970: 1_557_156_988))
        #expect(TradierDates.parse(.string("2025-12-10T18:02:51.028929606Z")) != nil)
        #expect(TradierDates.parse(.string("2019-04-01")) == TradierDates.iso("2019-04-01T04:00:00Z"))
        #expect(TradierDates.parse(.string("2018-06-01T08:02:29-04:00")) == TradierDates.iso("2018-06-01T12:02:29Z"))
        #expect(TradierDates.parse(.string("null")) == nil)
        #expect(TradierDates.parse(.string("yesterday")) == nil)
    }

    @Test func parserRejectsWhatIsNotJSON() throws {
        for text in ["", "<orders/>", "{\"a\":}", "[1,]", "{\"a\":1} x", "01", "\"unterminated", String(repeating: "[", count: 100)] {
            #expect(throws: TradierJSONError.self, "\(text.prefix(20))") { try TradierJSON.parse(body(text)) }
        }
        #expect(try TradierJSON.parse(body(#"{"s":"caf\u00e9 \ud83d\ude00 \"q\""}"#))["s"].string == "café 😀 \"q\"")
    }
}
