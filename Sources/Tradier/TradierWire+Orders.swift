import Foundation
import TradingDomain
import TradingEngine

/// One Tradier order as read from `orders.order` or `order` (docs/vendors.md §2.4), mapped to our
/// `BrokerOrder` plus the execution details the poller needs to derive fills.
public struct TradierOrder: Sendable, Hashable {
    /// Tradier's order id (an integer on the wire, kept as text).
    public var id: String
    /// Our client order id when the order carries a `tag` (only with `includeTags=true`).
    public var tag: String?
    /// The order in our terms: `clientOrderID` is the tag, or `tradier-<id>` for orders placed elsewhere.
    public var order: BrokerOrder
    /// Price and size of the most recent execution (nil when zero: nothing executed yet).
    public var lastFillPrice: Decimal?
    public var lastFillQuantity: Decimal?
    /// When the broker last changed the order; used as the time of derived fills.
    public var transactionDate: Date?
}

/// Orders that could be read, and a short note for each that could not (multileg, unknown side…).
public struct TradierOrderList: Sendable, Hashable {
    /// Readable single-leg orders, in the broker's order.
    public var orders: [TradierOrder]
    /// One note per order that could not be mapped.
    public var skipped: [String]
}

extension TradierWire {
    /// `clientOrderID` given to orders without our tag.
    public static func foreignClientOrderID(brokerOrderID: String) -> String { "tradier-\(brokerOrderID)" }

    /// `{"orders":{"order":[…] | {…}}}`, `{"orders":"null"}` or `{"orders":null}`.
    public static func orders(_ body: Data, now: Date = Date()) throws(BrokerError) -> TradierOrderList {
        let json = try document(body)
        var list = TradierOrderList(orders: [], skipped: [])
        for element in json["orders"]["order"].list {
            switch order(from: element, now: now) {
            case .success(let order): list.orders.append(order)
            case .failure(let problem): list.skipped.append(problem.reason)
            }
        }
        return list
    }

    /// `{"order":{…}}` from `GET /accounts/{id}/orders/{order_id}`.
    public static func singleOrder(_ body: Data, now: Date = Date()) throws(BrokerError) -> TradierOrder {
        let json = try document(body)
        switch order(from: json["order"], now: now) {
        case .success(let order): return order
        case .failure(let problem): throw .malformed("order: \(problem.reason)")
        }
    }

    struct Unreadable: Error { var reason: String }

    /// Maps one order object. Single-leg equity and option orders only; multileg/combo orders
    /// (no `side`, `leg` arrays) are reported as unreadable.
    static func order(from json: TradierJSON, now: Date) -> Result<TradierOrder, Unreadable> {
        guard let id = json["id"].string else { return .failure(Unreadable(reason: "order without id")) }
        let symbolText = json["option_symbol"].string ?? json["symbol"].string
        guard let symbolText else { return .failure(Unreadable(reason: "order \(id) has no symbol")) }
        guard let sideText = json["side"].string, let action = OrderAction(rawValue: sideText.lowercased()) else {
            return .failure(Unreadable(reason: "order \(id): side '\(json["side"].string ?? "none")' (class \(json["class"].string ?? "?")) is not a single-leg order"))
        }
        guard let typeText = json["type"].string, let type = orderType(typeText) else {
            return .failure(Unreadable(reason: "order \(id): type '\(json["type"].string ?? "none")' is not supported"))
        }
        let symbol = (try? Symbol(validating: symbolText)) ?? Symbol(trusted: symbolText.uppercased())
        let exec = json["exec_quantity"].decimal ?? json["executed_quantity"].decimal ?? 0
        let average = json["avg_fill_price"].decimal.flatMap { $0 > 0 && exec > 0 ? $0 : nil }
        let transaction = json["transaction_date"].date
        let created = json["create_date"].date ?? transaction ?? now
        let request = OrderRequest(
            symbol: symbol, action: action, quantity: json["quantity"].decimal ?? 0, type: type,
            duration: json["duration"].string.flatMap { OrderDuration(rawValue: $0.lowercased()) } ?? .day,
            limitPrice: type.needsLimitPrice ? positive(json["price"].decimal) : nil,
            stopPrice: type.needsStopPrice ? positive(json["stop_price"].decimal ?? json["stop"].decimal) : nil)
        let tag = json["tag"].string
        let order = BrokerOrder(
            clientOrderID: tag ?? foreignClientOrderID(brokerOrderID: id), brokerOrderID: id, request: request,
            status: OrderStatus(brokerStatus: json["status"].string ?? ""), filledQuantity: exec,
            averageFillPrice: average, reason: json["reason_description"].string,
            createdAt: created, updatedAt: transaction ?? created)
        return .success(TradierOrder(
            id: id, tag: tag, order: order, lastFillPrice: positive(json["last_fill_price"].decimal),
            lastFillQuantity: positive(json["last_fill_quantity"].decimal), transactionDate: transaction))
    }

    /// Tradier's `type` words; `debit`/`credit`/`even` (multileg net prices) read as limit orders.
    static func orderType(_ text: String) -> OrderType? {
        switch text.lowercased() {
        case "debit", "credit", "even": .limit
        default: OrderType(rawValue: text.lowercased())
        }
    }

    static func positive(_ value: Decimal?) -> Decimal? {
        guard let value, value > 0 else { return nil }
        return value
    }

    /// Parses a 2xx body, turning `errors`/`fault` bodies and non-JSON into `BrokerError`.
    static func document(_ body: Data) throws(BrokerError) -> TradierJSON {
        if let error = error(status: 200, body: body) { throw error }
        do {
            return try TradierJSON.parse(body)
        } catch {
            throw .malformed("body is not JSON: \(error)")
        }
    }

    // MARK: order acknowledgements

    /// `{"order":{"id":257459,"status":"ok","partner_id":"…"}}` → the order id. Status is compared
    /// case-insensitively (legacy `"OK"`); anything but ok is a rejection.
    public static func placement(_ body: Data) throws(BrokerError) -> String {
        let order = try acknowledgement(body)
        guard let id = order["id"].string else { throw .malformed("placement answer without an order id") }
        return id
    }

    /// `{"order":{"id":123456,"status":"ok"}}` after a modify or cancel.
    public static func acknowledgement(_ body: Data) throws(BrokerError) -> TradierJSON {
        let json = try document(body)
        let order = json["order"]
        guard case .object = order else { throw .malformed("answer has no order object") }
        if let status = order["status"].string, status.lowercased() != "ok" {
            throw .rejected(code: rejectedCode, reason: "order status \(status)")
        }
        return order
    }
}
