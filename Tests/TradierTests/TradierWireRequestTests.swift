import Foundation
import Testing
import Tradier
import TradingDomain
import TradingEngine

/// Order requests → Tradier form fields (contract 2.3), tags and configuration.
@Suite struct TradierWireRequestTests {
    func fields(_ form: [(String, String)]) -> [String: String] {
        Dictionary(form, uniquingKeysWith: { _, last in last })
    }

    @Test func equityLimitOrderFields() throws {
        let form = try TradierWire.orderForm(Orders.limitBuy(), clientOrderID: "ord-1")
        #expect(form.map(\.0) == ["class", "symbol", "side", "quantity", "type", "duration", "price", "tag"])
        #expect(fields(form) == ["class": "equity", "symbol": "AAPL", "side": "buy", "quantity": "10", "type": "limit", "duration": "day", "price": "187.25", "tag": "ord-1"])
        #expect(TradierWire.formEncode(form) == "class=equity&symbol=AAPL&side=buy&quantity=10&type=limit&duration=day&price=187.25&tag=ord-1")
    }

    @Test func optionOrderSendsTheUnderlyingAndTheOCCSymbol() throws {
        let form = fields(try TradierWire.orderForm(Orders.optionBuy(), clientOrderID: "x", preview: true))
        #expect(form["class"] == "option")
        #expect(form["symbol"] == "SPY")
        #expect(form["option_symbol"] == "SPY140118C00195000")
        #expect(form["side"] == "buy_to_open")
        #expect(form["quantity"] == "2")
        #expect(form["price"] == nil)
        #expect(form["preview"] == "true")
    }

    @Test func stopLimitSendsBothPricesAndMarketNeither() throws {
        let stopLimit = OrderRequest(symbol: Symbol(trusted: "TSLA"), action: .sellShort, quantity: 5, type: .stopLimit, duration: .gtc, limitPrice: dec("199.5"), stopPrice: dec("200.05"))
        let form = fields(try TradierWire.orderForm(stopLimit, clientOrderID: "a-b-c"))
        #expect(form["price"] == "199.5")
        #expect(form["stop"] == "200.05")
        #expect(form["duration"] == "gtc")
        #expect(form["side"] == "sell_short")
        let market = OrderRequest(symbol: Symbol(trusted: "TSLA"), action: .sell, quantity: 5, type: .market, limitPrice: dec("1"), stopPrice: dec("1"))
        let marketForm = fields(try TradierWire.orderForm(market, clientOrderID: "m"))
        #expect(marketForm["price"] == nil && marketForm["stop"] == nil)
    }

    @Test("extended-hours durations go to Tradier as duration=pre / duration=post")
    func extendedHoursDurations() throws {
        for duration in [OrderDuration.pre, .post] {
            let order = OrderRequest(symbol: Symbol(trusted: "AAPL"), action: .buy, quantity: 1, type: .limit, duration: duration, limitPrice: dec("180"))
            #expect(fields(try TradierWire.orderForm(order, clientOrderID: "x"))["duration"] == duration.rawValue)
        }
    }

    @Test func invalidRequestsAreRefusedBeforeSending() {
        #expect(throws: BrokerError.self) { try TradierWire.orderForm(Orders.limitBuy(), clientOrderID: "has space") }
        #expect(throws: BrokerError.self) { try TradierWire.orderForm(Orders.limitBuy(), clientOrderID: "under_score") }
        #expect(throws: BrokerError.self) { try TradierWire.orderForm(Orders.limitBuy(), clientOrderID: String(repeating: "a", count: 256)) }
        #expect(throws: BrokerError.self) { try TradierWire.orderForm(Orders.limitBuy(quantity: dec("1.5")), clientOrderID: "ok") }
        let noPrice = OrderRequest(symbol: Symbol(trusted: "AAPL"), action: .buy, quantity: 1, type: .limit)
        #expect(throws: BrokerError.self) { try TradierWire.orderForm(noPrice, clientOrderID: "ok") }
        let wrongSide = OrderRequest(symbol: Symbol(trusted: "AAPL"), action: .buyToOpen, quantity: 1, type: .market)
        #expect(throws: BrokerError.self) { try TradierWire.orderForm(wrongSide, clientOrderID: "ok") }
    }

    @Test func tagsAreLettersDigitsAndDashes() {
        #expect(TradierWire.isValidTag("9f1c2d3e-aaaa-4bbb-8ccc-0123456789ab"))
        #expect(TradierWire.isValidTag(String(repeating: "z", count: 255)))
        #expect(!TradierWire.isValidTag(""))
        #expect(!TradierWire.isValidTag("é"))
        #expect(!TradierWire.isValidTag("a.b"))
    }

    @Test func modifyFormHoldsOnlyWhatChanges() {
        #expect(TradierWire.modifyForm(OrderChange(limitPrice: dec("10.5"))).map(\.0) == ["price"])
        let all = fields(TradierWire.modifyForm(OrderChange(type: .stopLimit, duration: .gtc, limitPrice: dec("1"), stopPrice: dec("2"))))
        #expect(all == ["type": "stop_limit", "duration": "gtc", "price": "1", "stop": "2"])
        #expect(TradierWire.formEncode([("symbols", "BRK/B,SPY"), ("x", "a b&c")]) == "symbols=BRK%2FB%2CSPY&x=a%20b%26c")
    }

    @Test func liveNeedsTheOptInAndHostsFollowTheEnvironment() throws {
        let live = TradierConfiguration(accessToken: "secret-token-xyz", accountID: "VA1", environment: .live)
        #expect(throws: TradierConfigurationError(message: "live trading needs TA_ALLOW_LIVE_TRADING=true")) { try TradierBroker(configuration: live) }
        var allowed = live
        allowed.allowLive = true
        let broker = try TradierBroker(configuration: allowed)
        #expect(broker.environment == "live")
        #expect(broker.name == "tradier")
        #expect(allowed.resolvedBaseURL.absoluteString == "https://api.tradier.com/v1/")
        let sandbox = TradierConfiguration(accessToken: "t", accountID: "VA1")
        #expect(sandbox.resolvedBaseURL.absoluteString == "https://sandbox.tradier.com/v1/")
        #expect(throws: TradierConfigurationError.self) { try TradierBroker(configuration: TradierConfiguration(accessToken: " ", accountID: "VA1")) }
        #expect(throws: TradierConfigurationError.self) { try TradierBroker(configuration: TradierConfiguration(accessToken: "t", accountID: "VA/1")) }
    }

    @Test func configurationNeverPrintsTheToken() {
        let configuration = TradierConfiguration(accessToken: "secret-token-xyz", accountID: "VA1")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, configuration.debugDescription, "\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains("secret-token-xyz"))
        }
    }
}
