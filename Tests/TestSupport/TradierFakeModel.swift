import Foundation

/// One request the Tradier fake received.
public struct TradierFakeRequest: Sendable, Hashable {
    public var method: String
    /// Path without the query, e.g. `/v1/accounts/VA000001/orders`.
    public var path: String
    public var query: [String: String]
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: String

    /// The body read as `application/x-www-form-urlencoded`.
    public var form: [String: String] { TradierFakeRequest.parseForm(body) }

    public static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

/// An order in the fake's book, with Tradier's field meanings.
public struct TradierFakeOrder: Sendable, Hashable {
    public var id: Int
    /// `equity` or `option`.
    public var orderClass: String
    /// Ticker; the underlying for options.
    public var symbol: String
    public var optionSymbol: String?
    public var side: String
    public var quantity: Decimal
    public var type: String
    public var duration: String
    public var price: Decimal?
    public var stop: Decimal?
    public var status: String
    public var execQuantity: Decimal = 0
    public var avgFillPrice: Decimal = 0
    public var lastFillPrice: Decimal = 0
    public var lastFillQuantity: Decimal = 0
    public var createDate: Date
    public var transactionDate: Date
    public var tag: String?
    public var reasonDescription: String?
    /// False for orders of earlier days: they appear only with `filter=all`.
    public var intraday = true

    public init(
        id: Int = 0, orderClass: String = "equity", symbol: String, optionSymbol: String? = nil, side: String,
        quantity: Decimal, type: String = "market", duration: String = "day", price: Decimal? = nil, stop: Decimal? = nil,
        status: String = "open", tag: String? = nil, createDate: Date = Date()
    ) {
        self.id = id
        self.orderClass = orderClass
        self.symbol = symbol
        self.optionSymbol = optionSymbol
        self.side = side
        self.quantity = quantity
        self.type = type
        self.duration = duration
        self.price = price
        self.stop = stop
        self.status = status
        self.tag = tag
        self.createDate = createDate
        transactionDate = createDate
    }

    public static let finalStatuses: Set<String> = ["filled", "canceled", "expired", "rejected", "error"]
    public var isFinal: Bool { Self.finalStatuses.contains(status) }
    public var remainingQuantity: Decimal { max(0, quantity - execQuantity) }
    /// The symbol positions are kept under: the OCC symbol for options.
    public var positionSymbol: String { optionSymbol ?? symbol }
    public var multiplier: Decimal { orderClass == "option" ? 100 : 1 }
    public var isBuy: Bool { side.hasPrefix("buy") }

    func filling(_ amount: Decimal, at fillPrice: Decimal) -> TradierFakeOrder {
        var order = self
        let total = execQuantity + amount
        order.avgFillPrice = (avgFillPrice * execQuantity + fillPrice * amount) / total
        order.execQuantity = total
        order.lastFillPrice = fillPrice
        order.lastFillQuantity = amount
        order.status = total >= quantity ? "filled" : "partially_filled"
        order.transactionDate = Date()
        return order
    }
}

/// A position in the fake's book; `costBasis` is the total cost (positive), `quantity` signed.
public struct TradierFakePosition: Sendable, Hashable {
    public var id: Int
    public var symbol: String
    public var quantity: Decimal
    public var costBasis: Decimal
    public var dateAcquired: Date
}

extension TradierFake.Account {
    /// Moves the position and the cash for an execution.
    mutating func apply(fill order: TradierFakeOrder, quantity: Decimal, price: Decimal, positionID: inout Int) {
        let signed = order.isBuy ? quantity : -quantity
        let value = quantity * price * order.multiplier
        cash -= signed * price * order.multiplier
        let key = order.positionSymbol
        guard var position = positions[key], position.quantity != 0 else {
            positionID += 1
            positions[key] = TradierFakePosition(id: positionID, symbol: key, quantity: signed, costBasis: value, dateAcquired: Date())
            return
        }
        if (position.quantity > 0) == (signed > 0) {
            position.quantity += signed
            position.costBasis += value
        } else {
            let held = abs(position.quantity)
            let closing = min(quantity, held)
            position.costBasis -= position.costBasis * closing / held
            position.quantity += signed
            if quantity > held { position.costBasis = (quantity - held) * price * order.multiplier }
        }
        positions[key] = position.quantity == 0 ? nil : position
    }
}
