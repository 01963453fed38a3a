import Foundation
import TradingDomain

/// How the paper broker fills and charges. Every field has a default, and a stored document that
/// lacks a field (written by an older version) decodes with the default.
public struct PaperSettings: Sendable, Hashable, Codable {
    /// Cash of a new paper account (`TA_PAPER_EQUITY`). Used only when a ledger is created.
    public var startingCash: Decimal
    /// Slippage per share (per unit of price) added to market buys and taken off market sells.
    public var slippagePerShare: Decimal
    /// Slippage in basis points of the price, on top of `slippagePerShare`.
    public var slippageBasisPoints: Decimal
    /// Commission charged per filled order.
    public var commissionPerOrder: Decimal
    /// Commission charged per option contract, on top of `commissionPerOrder`.
    public var commissionPerContract: Decimal
    /// Annualised volatility used to price options (0.30 = 30 %).
    public var optionVolatility: Decimal
    /// Continuously compounded risk-free rate used to price options (0.04 = 4 %).
    public var riskFreeRate: Decimal
    /// Synthetic option spread: bid and ask sit this percentage below and above the model price
    /// (at least 0.01 each side).
    public var optionSpreadPercent: Decimal
    /// Whether short selling (`sell_short`, `sell_to_open`) is allowed.
    public var allowShort: Bool
    /// Shown as the account number.
    public var accountNumber: String

    /// Fraction of a short position's value that must stay in free cash (Reg T's extra 50 %).
    public static let shortMarginRate: Decimal = Decimal(5) / 10

    public init(
        startingCash: Decimal = 100_000, slippagePerShare: Decimal = 0, slippageBasisPoints: Decimal = 0,
        commissionPerOrder: Decimal = 0, commissionPerContract: Decimal = Decimal(65) / 100,
        optionVolatility: Decimal = Decimal(30) / 100, riskFreeRate: Decimal = Decimal(4) / 100,
        optionSpreadPercent: Decimal = 1, allowShort: Bool = true, accountNumber: String = "PAPER"
    ) {
        self.startingCash = startingCash
        self.slippagePerShare = slippagePerShare
        self.slippageBasisPoints = slippageBasisPoints
        self.commissionPerOrder = commissionPerOrder
        self.commissionPerContract = commissionPerContract
        self.optionVolatility = optionVolatility
        self.riskFreeRate = riskFreeRate
        self.optionSpreadPercent = optionSpreadPercent
        self.allowShort = allowShort
        self.accountNumber = accountNumber
    }

    public init(from decoder: any Decoder) throws {
        let defaults = PaperSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        startingCash = try value(.startingCash, defaults.startingCash)
        slippagePerShare = try value(.slippagePerShare, defaults.slippagePerShare)
        slippageBasisPoints = try value(.slippageBasisPoints, defaults.slippageBasisPoints)
        commissionPerOrder = try value(.commissionPerOrder, defaults.commissionPerOrder)
        commissionPerContract = try value(.commissionPerContract, defaults.commissionPerContract)
        optionVolatility = try value(.optionVolatility, defaults.optionVolatility)
        riskFreeRate = try value(.riskFreeRate, defaults.riskFreeRate)
        optionSpreadPercent = try value(.optionSpreadPercent, defaults.optionSpreadPercent)
        allowShort = try value(.allowShort, defaults.allowShort)
        accountNumber = try value(.accountNumber, defaults.accountNumber)
    }

    /// Commission for one fill of `request`.
    public func commission(for request: OrderRequest) -> Decimal {
        commissionPerOrder + (request.assetClass == .option ? commissionPerContract * request.quantity : 0)
    }

    /// Slippage per unit at `price`: `slippagePerShare` plus `slippageBasisPoints` of the price, to 4 places.
    public func slippage(at price: Decimal) -> Decimal {
        (slippagePerShare + price * slippageBasisPoints / 10_000).rounded(scale: 4)
    }
}

/// Why the paper broker refuses an order: a stable `code` and a sentence for the user.
public struct PaperRejection: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// `invalid_quantity`, `wrong_action`, `invalid_option`, `option_expired`, `missing_limit_price`,
    /// `missing_stop_price`, `no_price`, `insufficient_position`, `position_is_long`,
    /// `position_is_short`, `short_not_allowed`, `insufficient_buying_power`, `not_working`.
    public var code: String
    /// What is wrong, in words for the user.
    public var reason: String

    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}

/// What a ledger operation on an existing order can fail with.
public enum PaperLedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No order with this broker order id.
    case notFound(String)
    /// The change is refused; the order is unchanged.
    case rejected(PaperRejection)

    public var description: String {
        switch self {
        case .notFound(let id): "no paper order \(id)"
        case .rejected(let rejection): rejection.description
        }
    }
}

/// The outcome of `PaperLedger.submit`.
public struct PaperSubmission: Sendable, Hashable {
    /// The order as it stands after the call: `open`, already `filled`, or `rejected`.
    public var order: BrokerOrder
    /// Set when the order was rejected (the order then carries the reason too).
    public var rejection: PaperRejection?
    /// What the call produced, in order: the order's `open` (or `rejected`) state, then any fill.
    public var updates: [PaperUpdate]

    public init(order: BrokerOrder, rejection: PaperRejection?, updates: [PaperUpdate]) {
        self.order = order
        self.rejection = rejection
        self.updates = updates
    }
}

/// Something a ledger operation changed, in the order it happened. It mirrors the engine's
/// `BrokerUpdate` (which lives in TradingEngine, out of this module's reach); the paper broker maps
/// one to the other case for case.
public enum PaperUpdate: Sendable, Hashable {
    /// An order's status, filled quantity or prices changed.
    case order(BrokerOrder)
    /// An execution (id `<clientOrderID>#1`).
    case fill(Fill)
}

/// A position in the paper account.
public struct PaperPosition: Sendable, Hashable, Codable {
    /// The equity or OCC option symbol.
    public var symbol: Symbol
    /// Signed quantity: negative for shorts. Never 0 (a closed position is removed).
    public var quantity: Decimal
    /// Average price per unit (before the multiplier) of the open quantity.
    public var averagePrice: Decimal
    /// When the current side was opened.
    public var openedAt: Date
    /// P&L realised by reductions of this position so far (before commissions).
    public var realizedPnL: Decimal

    public init(symbol: Symbol, quantity: Decimal, averagePrice: Decimal, openedAt: Date, realizedPnL: Decimal = 0) {
        self.symbol = symbol
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.openedAt = openedAt
        self.realizedPnL = realizedPnL
    }

    public var assetClass: AssetClass { symbol.isOption ? .option : .equity }

    /// The position as `BrokerPort` reports it.
    public var brokerPosition: BrokerPosition {
        BrokerPosition(symbol: symbol, quantity: quantity, averagePrice: averagePrice, openedAt: openedAt)
    }
}

/// A working paper order and the paper broker's own bookkeeping for it.
public struct PaperOrder: Sendable, Hashable, Codable {
    /// The order as reported through `BrokerPort`.
    public var order: BrokerOrder
    /// True once a stop or stop-limit order's stop price was reached (it then works as market or limit).
    public var triggered: Bool
    /// When a day order expires (the session close); nil for gtc.
    public var expiresAt: Date?

    public init(order: BrokerOrder, triggered: Bool = false, expiresAt: Date? = nil) {
        self.order = order
        self.triggered = triggered
        self.expiresAt = expiresAt
    }
}
