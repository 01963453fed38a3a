import Foundation
import TradingDomain
import TradingEngine

/// One account of the user profile (`profile.account`, object or array).
public struct TradierAccountInfo: Sendable, Hashable {
    public var accountNumber: String
    /// `cash` or `margin`.
    public var type: String?
    /// `active` or `closed`.
    public var status: String?
    public var classification: String?
    public var optionLevel: Int?
    public var dayTrader: Bool?
}

/// `GET /markets/clock`.
public struct TradierClock: Sendable, Hashable {
    /// `premarket`, `open`, `postmarket` or `closed`.
    public var state: String
    public var description: String?
    /// Unix seconds on the wire.
    public var timestamp: Date?
    /// ET wall clock `HH:MM`.
    public var nextChange: String?
    public var nextState: String?
}

/// One quote of `GET /markets/quotes`; OHLC is nil before the open.
public struct TradierQuote: Sendable, Hashable {
    public var symbol: String
    /// Prices as sent; every one may be null on the wire (pre-market OHLC always is).
    public var last: Decimal?
    public var bid: Decimal?
    public var ask: Decimal?
    public var open: Decimal?
    public var high: Decimal?
    public var low: Decimal?
    public var close: Decimal?
    public var previousClose: Decimal?
    public var volume: Decimal?
    /// Epoch milliseconds on the wire.
    public var tradeDate: Date?
}

extension TradierWire {
    /// `{"positions":{"position":[…] | {…}}}` or `{"positions":"null"}`. `cost_basis` is the
    /// position's total cost, so the average price is cost ÷ (|quantity| × multiplier).
    public static func positions(_ body: Data) throws(BrokerError) -> [BrokerPosition] {
        let json = try document(body)
        return json["positions"]["position"].list.compactMap { element -> BrokerPosition? in
            guard let text = element["symbol"].string, let quantity = element["quantity"].decimal else { return nil }
            let symbol = (try? Symbol(validating: text)) ?? Symbol(trusted: text.uppercased())
            let units = abs(quantity) * Decimal(symbol.isOption ? 100 : 1)
            let cost = abs(element["cost_basis"].decimal ?? 0)
            let average = units > 0 ? (cost / units).rounded(scale: 6) : 0
            return BrokerPosition(symbol: symbol, quantity: quantity, averagePrice: average, openedAt: element["date_acquired"].date)
        }
    }

    /// `{"balances":{…,"margin"|"cash"|"pdt":{…}}}`. Buying power: `margin`/`pdt` →
    /// `stock_buying_power`; `cash` → `cash_available`; otherwise `total_cash`.
    public static func account(_ body: Data, asOf: Date = Date()) throws(BrokerError) -> BrokerAccount {
        let json = try document(body)
        let balances = json["balances"]
        guard case .object = balances else { throw .malformed("answer has no balances object") }
        let cash = balances["total_cash"].decimal ?? 0
        let buyingPower = balances["margin"]["stock_buying_power"].decimal
            ?? balances["pdt"]["stock_buying_power"].decimal
            ?? balances["cash"]["cash_available"].decimal
            ?? cash
        return BrokerAccount(
            broker: "tradier", accountNumber: balances["account_number"].string ?? "",
            equity: balances["total_equity"].decimal ?? cash, cash: cash, buyingPower: buyingPower,
            longMarketValue: balances["long_market_value"].decimal ?? 0,
            shortMarketValue: balances["short_market_value"].decimal ?? 0,
            realizedPnLToday: balances["close_pl"].decimal, asOf: asOf)
    }

    /// A preview answer (docs/vendors.md §2.3). `order_cost` is quantity × price × multiplier; `cost` adds
    /// commission and fees. A failing preview (`result:false`, `errors` inside `order`) throws `.rejected`.
    public static func preview(_ body: Data, request: OrderRequest) throws(BrokerError) -> OrderPreview {
        let json = try document(body)
        let order = json["order"]
        guard case .object = order else { throw .malformed("preview answer has no order object") }
        if let status = order["status"].string, status.lowercased() != "ok", order["result"].bool != true {
            throw .rejected(code: rejectedCode, reason: "preview status \(status)")
        }
        let commission = order["commission"].decimal ?? 0
        let fees = order["fees"].decimal ?? 0
        let orderCost = order["order_cost"].decimal ?? order["cost"].decimal.map { $0 - commission - fees } ?? 0
        let units = request.units
        let price = positive(order["price"].decimal) ?? request.limitPrice ?? request.stopPrice
            ?? (units > 0 && orderCost > 0 ? (orderCost / units).rounded(scale: 4) : nil)
        let warningHolder = order["warnings"]
        var warnings = (warningHolder["warning"].isEmptyValue ? warningHolder.list : warningHolder["warning"].list)
            .compactMap(\.string) + order["warning"].list.compactMap(\.string)
        if let trades = order["day_trades"].int, trades >= 3 {
            warnings.append("\(trades) day trades in the last five business days: one more may flag the account as a pattern day trader")
        }
        return OrderPreview(estimatedPrice: price, estimatedCost: orderCost, commission: commission, fees: fees, warnings: warnings)
    }

    /// `GET /user/profile`: the user's accounts (`account` is an object when there is one).
    public static func profile(_ body: Data) throws(BrokerError) -> [TradierAccountInfo] {
        let json = try document(body)
        return json["profile"]["account"].list.compactMap { element in
            guard let number = element["account_number"].string else { return nil }
            return TradierAccountInfo(
                accountNumber: number, type: element["type"].string, status: element["status"].string,
                classification: element["classification"].string, optionLevel: element["option_level"].int,
                dayTrader: element["day_trader"].bool)
        }
    }

    /// `GET /markets/clock`.
    public static func clock(_ body: Data) throws(BrokerError) -> TradierClock {
        let clock = try document(body)["clock"]
        guard let state = clock["state"].string else { throw .malformed("clock answer without state") }
        return TradierClock(
            state: state, description: clock["description"].string, timestamp: clock["timestamp"].date,
            nextChange: clock["next_change"].string, nextState: clock["next_state"].string)
    }

    /// `GET /markets/quotes`: quotes (object or array; absent when nothing matched) and the
    /// `unmatched_symbols` in any of their forms (`{"symbol":"X"}`, `{"symbol":[…]}`, `"X"`).
    public static func quotes(_ body: Data) throws(BrokerError) -> (quotes: [TradierQuote], unmatched: [String]) {
        let root = try document(body)["quotes"]
        let quotes = root["quote"].list.compactMap { q -> TradierQuote? in
            guard let symbol = q["symbol"].string else { return nil }
            return TradierQuote(
                symbol: symbol, last: q["last"].decimal, bid: q["bid"].decimal, ask: q["ask"].decimal,
                open: q["open"].decimal, high: q["high"].decimal, low: q["low"].decimal, close: q["close"].decimal,
                previousClose: q["prevclose"].decimal, volume: q["volume"].decimal, tradeDate: q["trade_date"].date)
        }
        let unmatchedValue = root["unmatched_symbols"]
        let unmatched: [String]
        if case .string(let bare) = unmatchedValue {
            unmatched = unmatchedValue.isEmptyValue ? [] : bare.split(separator: ",").map(String.init)
        } else {
            unmatched = unmatchedValue.list.flatMap { element -> [String] in
                if case .object = element { return element["symbol"].list.compactMap(\.string) }
                return element.string.map { [$0] } ?? []
            }
        }
        return (quotes, unmatched)
    }
}
