import Foundation

/// How an order is priced.
public enum OrderType: String, Sendable, Hashable, Codable, CaseIterable {
    case market
    case limit
    case stop
    case stopLimit = "stop_limit"

    /// True when the order needs a limit price.
    public var needsLimitPrice: Bool { self == .limit || self == .stopLimit }
    /// True when the order needs a stop (trigger) price.
    public var needsStopPrice: Bool { self == .stop || self == .stopLimit }
}

/// How long a working order lives and in which session it may fill (docs/api.md, "Orders and
/// market sessions"): `day` works in the regular session and expires at its close, `gtc` works in
/// every regular session until cancelled, `pre` / `post` (limit orders on equities only, as Tradier
/// takes them) work in one pre-market or after-hours session and expire at its end.
public enum OrderDuration: String, Sendable, Hashable, Codable, CaseIterable {
    case day
    case gtc
    case pre
    case post

    /// The session an order of this duration fills in.
    public var session: MarketSession {
        switch self {
        case .day, .gtc: .regular
        case .pre: .pre
        case .post: .post
        }
    }

    /// `pre` or `post`: an extended-hours order.
    public var isExtendedHours: Bool { self == .pre || self == .post }
}

/// What the order does, in the brokers' vocabulary (Tradier's): equities use `buy`, `sell`,
/// `sell_short`, `buy_to_cover`; options use the `_to_open`/`_to_close` forms.
public enum OrderAction: String, Sendable, Hashable, Codable, CaseIterable {
    case buy
    case sell
    case sellShort = "sell_short"
    case buyToCover = "buy_to_cover"
    case buyToOpen = "buy_to_open"
    case buyToClose = "buy_to_close"
    case sellToOpen = "sell_to_open"
    case sellToClose = "sell_to_close"

    /// +1 when the order buys, −1 when it sells.
    public var sign: Int {
        switch self {
        case .buy, .buyToCover, .buyToOpen, .buyToClose: 1
        case .sell, .sellShort, .sellToOpen, .sellToClose: -1
        }
    }

    public var isBuy: Bool { sign > 0 }

    /// True for actions that make a position larger (or start one).
    public var opens: Bool {
        switch self {
        case .buy, .sellShort, .buyToOpen, .sellToOpen: true
        case .sell, .buyToCover, .buyToClose, .sellToClose: false
        }
    }

    /// The asset class this action belongs to.
    public var assetClass: AssetClass {
        switch self {
        case .buy, .sell, .sellShort, .buyToCover: .equity
        case .buyToOpen, .buyToClose, .sellToOpen, .sellToClose: .option
        }
    }

    /// The action that opens a position on `side` for this asset class.
    public static func opening(_ side: Side, _ assetClass: AssetClass) -> OrderAction {
        switch (side, assetClass) {
        case (.long, .equity): .buy
        case (.short, .equity): .sellShort
        case (.long, .option): .buyToOpen
        case (.short, .option): .sellToOpen
        }
    }

    /// The action that closes a position on `side` for this asset class.
    public static func closing(_ side: Side, _ assetClass: AssetClass) -> OrderAction {
        switch (side, assetClass) {
        case (.long, .equity): .sell
        case (.short, .equity): .buyToCover
        case (.long, .option): .sellToClose
        case (.short, .option): .buyToClose
        }
    }
}

/// Lifecycle of an order, ours and the broker's.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Our intent is stored; the broker has not been asked yet (proven never sent).
    case pending
    /// The request to the broker is starting (stored before it starts): after a crash in this
    /// state the order may or may not have reached the broker, so it becomes `unknown`.
    case sending
    /// The request may have reached the broker (timeout, dropped connection, crash while
    /// sending). Never re-sent automatically: reconciliation looks it up by our tag until the
    /// broker's order list shows it, and the user can check again or send it anyway (confirmed).
    case unknown
    /// Sent; the broker accepted the request but the order is not working yet.
    case submitted
    /// Working at the broker.
    case open
    case partiallyFilled = "partially_filled"
    case filled
    case canceled
    case expired
    case rejected
    /// The broker reported an error for the order.
    case error

    /// No further change can happen.
    public var isFinal: Bool {
        switch self {
        case .filled, .canceled, .expired, .rejected, .error: true
        case .pending, .sending, .unknown, .submitted, .open, .partiallyFilled: false
        }
    }

    /// Working or possibly working at the broker (counted in open risk, exposure and limits).
    public static let working: [OrderStatus] = [.pending, .sending, .unknown, .submitted, .open, .partiallyFilled]

    /// Maps a broker's status word (Tradier's, case-insensitive); unknown words are `open`-like
    /// states the broker still works on, so they map to `submitted`.
    public init(brokerStatus text: String) {
        switch text.lowercased() {
        case "open", "accepted_for_bidding", "held", "calculated": self = .open
        case "partially_filled": self = .partiallyFilled
        case "filled": self = .filled
        case "canceled", "cancelled": self = .canceled
        case "expired": self = .expired
        case "rejected": self = .rejected
        case "error": self = .error
        default: self = .submitted
        }
    }
}

/// Where an order sits in a bracket built from a plan.
public enum BracketRole: String, Sendable, Hashable, Codable, CaseIterable {
    case entry
    case stop
    case target
}

/// A validated order request: what the user asked for, before any broker sees it.
public struct OrderRequest: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var action: OrderAction
    /// Shares or contracts; a positive whole number.
    public var quantity: Decimal
    public var type: OrderType
    public var duration: OrderDuration
    public var limitPrice: Decimal?
    public var stopPrice: Decimal?
    /// The saved plan this order carries out, if any.
    public var planID: UUID?
    /// Set on the orders of a bracket.
    public var bracketRole: BracketRole?

    public init(
        symbol: Symbol, action: OrderAction, quantity: Decimal, type: OrderType, duration: OrderDuration = .day,
        limitPrice: Decimal? = nil, stopPrice: Decimal? = nil, planID: UUID? = nil, bracketRole: BracketRole? = nil
    ) {
        self.symbol = symbol
        self.action = action
        self.quantity = quantity
        self.type = type
        self.duration = duration
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.planID = planID
        self.bracketRole = bracketRole
    }

    public var assetClass: AssetClass { symbol.isOption ? .option : .equity }

    /// Units of the underlying moved by this order (quantity × multiplier).
    public var units: Decimal { quantity * Decimal(assetClass.multiplier) }

    /// The option's underlying ticker (`AAPL` for `AAPL230616C00150000`); the symbol itself for equities.
    public var underlying: Symbol { OptionSymbol(symbol)?.underlying ?? symbol }
}

/// An order as we and the broker know it. `clientOrderID` is ours (sent as the broker's tag) and
/// never changes; `brokerOrderID` arrives when the broker accepts the order.
public struct BrokerOrder: Sendable, Hashable, Codable, Identifiable {
    public var id: String { clientOrderID }
    public var clientOrderID: String
    public var brokerOrderID: String?
    public var request: OrderRequest
    public var status: OrderStatus
    public var filledQuantity: Decimal
    public var averageFillPrice: Decimal?
    /// The broker's reason for a rejection, an error or a cancel, in its words.
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        clientOrderID: String, brokerOrderID: String? = nil, request: OrderRequest, status: OrderStatus,
        filledQuantity: Decimal = 0, averageFillPrice: Decimal? = nil, reason: String? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.clientOrderID = clientOrderID
        self.brokerOrderID = brokerOrderID
        self.request = request
        self.status = status
        self.filledQuantity = filledQuantity
        self.averageFillPrice = averageFillPrice
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var remainingQuantity: Decimal { max(0, request.quantity - filledQuantity) }
}

/// One execution: part or all of an order filled at one price.
public struct Fill: Sendable, Hashable, Codable, Identifiable {
    /// Unique per fill (the broker's execution id, or `clientOrderID#n`).
    public var id: String
    public var clientOrderID: String
    public var symbol: Symbol
    public var action: OrderAction
    public var quantity: Decimal
    public var price: Decimal
    public var commission: Decimal
    public var time: Date

    public init(id: String, clientOrderID: String, symbol: Symbol, action: OrderAction, quantity: Decimal, price: Decimal, commission: Decimal, time: Date) {
        self.id = id
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.action = action
        self.quantity = quantity
        self.price = price
        self.commission = commission
        self.time = time
    }

    public var assetClass: AssetClass { symbol.isOption ? .option : .equity }
    /// Signed change of the position in quantity units.
    public var signedQuantity: Decimal { quantity * Decimal(action.sign) }
}

/// A position at the broker. `quantity` is signed: negative for shorts.
public struct BrokerPosition: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var quantity: Decimal
    /// Average price paid (or received, for shorts) per unit of quantity, before the multiplier.
    public var averagePrice: Decimal
    public var openedAt: Date?

    public init(symbol: Symbol, quantity: Decimal, averagePrice: Decimal, openedAt: Date? = nil) {
        self.symbol = symbol
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.openedAt = openedAt
    }

    public var assetClass: AssetClass { symbol.isOption ? .option : .equity }
    public var side: Side { quantity < 0 ? .short : .long }
    /// Total cost basis: |quantity| × average price × multiplier.
    public var costBasis: Decimal { abs(quantity) * averagePrice * Decimal(assetClass.multiplier) }
}

/// Balances of the trading account.
public struct BrokerAccount: Sendable, Hashable, Codable {
    public var broker: String
    public var accountNumber: String
    public var equity: Decimal
    public var cash: Decimal
    public var buyingPower: Decimal
    public var longMarketValue: Decimal
    public var shortMarketValue: Decimal
    /// Realised P&L today, when the broker reports it.
    public var realizedPnLToday: Decimal?
    public var asOf: Date

    public init(
        broker: String, accountNumber: String, equity: Decimal, cash: Decimal, buyingPower: Decimal,
        longMarketValue: Decimal, shortMarketValue: Decimal, realizedPnLToday: Decimal? = nil, asOf: Date
    ) {
        self.broker = broker
        self.accountNumber = accountNumber
        self.equity = equity
        self.cash = cash
        self.buyingPower = buyingPower
        self.longMarketValue = longMarketValue
        self.shortMarketValue = shortMarketValue
        self.realizedPnLToday = realizedPnLToday
        self.asOf = asOf
    }
}

/// The broker's dry run of an order.
public struct OrderPreview: Sendable, Hashable, Codable {
    /// Estimated price per unit used for the estimate (limit, stop or the current quote).
    public var estimatedPrice: Decimal?
    /// quantity × price × multiplier.
    public var estimatedCost: Decimal
    public var commission: Decimal
    public var fees: Decimal
    /// The broker's warnings, in its words.
    public var warnings: [String]

    public init(estimatedPrice: Decimal?, estimatedCost: Decimal, commission: Decimal, fees: Decimal = 0, warnings: [String] = []) {
        self.estimatedPrice = estimatedPrice
        self.estimatedCost = estimatedCost
        self.commission = commission
        self.fees = fees
        self.warnings = warnings
    }
}
