import Foundation
import TradingDomain
import TradingEngine

/// An order as the API shows it.
struct OrderDTO: Encodable, Sendable {
    var id: String
    var broker_order_id: String?
    var broker: String
    var symbol: String
    var asset_class: String
    var action: String
    var quantity: Decimal
    var type: String
    var duration: String
    var limit_price: Decimal?
    var stop_price: Decimal?
    var plan_id: String?
    var bracket_role: String?
    var parent_id: String?
    var status: String
    var final: Bool
    var filled_quantity: Decimal
    var remaining_quantity: Decimal
    var average_fill_price: Decimal?
    var reason: String?
    var created_at: Date
    var updated_at: Date
    var fills: [FillDTO]?

    init(_ record: OrderRecord) {
        self.init(record, fills: nil)
    }

    init(_ record: OrderRecord, fills: [Fill]?) {
        let order = record.order
        let request = order.request
        id = record.id
        broker_order_id = order.brokerOrderID
        broker = record.broker
        symbol = request.symbol.rawValue
        asset_class = request.assetClass.rawValue
        action = request.action.rawValue
        quantity = request.quantity
        type = request.type.rawValue
        duration = request.duration.rawValue
        limit_price = request.limitPrice
        stop_price = request.stopPrice
        plan_id = request.planID?.uuidString.lowercased()
        bracket_role = request.bracketRole?.rawValue
        parent_id = record.parentID
        status = order.status.rawValue
        final = order.status.isFinal
        filled_quantity = order.filledQuantity
        remaining_quantity = order.remainingQuantity
        average_fill_price = order.averageFillPrice
        reason = order.reason
        created_at = order.createdAt
        updated_at = order.updatedAt
        self.fills = fills?.map(FillDTO.init)
    }
}

struct FillDTO: Encodable, Sendable {
    var id: String
    var order_id: String
    var symbol: String
    var action: String
    var quantity: Decimal
    var price: Decimal
    var commission: Decimal
    var time: Date

    init(_ fill: Fill) {
        id = fill.id
        order_id = fill.clientOrderID
        symbol = fill.symbol.rawValue
        action = fill.action.rawValue
        quantity = fill.quantity
        price = fill.price
        commission = fill.commission
        time = fill.time
    }
}

/// A position with its market value, unrealised P&L and day P&L from the latest quote.
struct PositionDTO: Encodable, Sendable {
    var symbol: String
    var asset_class: String
    var side: String
    var quantity: Decimal
    var average_price: Decimal
    var cost_basis: Decimal
    var last_price: Decimal?
    var market_value: Decimal?
    var unrealized_pnl: Decimal?
    /// Today's P&L like a broker's (docs/risk.md "Day P&L"); absent without a last price.
    var day_pnl: Decimal?
    /// The part of `day_pnl` realised by today's closing fills.
    var day_realized_pnl: Decimal?
    /// Signed quantity held overnight, measured from `previous_close`.
    var overnight_quantity: Decimal?
    var previous_close: Decimal?
    var opened_at: Date?
    /// On `position` events: true when the position is now flat.
    var closed: Bool?

    init(_ position: BrokerPosition, quote: Quote?, day: DayActivity? = nil) {
        symbol = position.symbol.rawValue
        asset_class = position.assetClass.rawValue
        side = position.side.rawValue
        quantity = position.quantity
        average_price = position.averagePrice
        cost_basis = position.costBasis
        opened_at = position.openedAt
        // Options are not quoted by the market feed; their value comes from the broker's account.
        if !position.symbol.isOption, let price = quote?.price {
            let multiplier = Decimal(position.assetClass.multiplier)
            last_price = price
            market_value = (position.quantity * price * multiplier).rounded(scale: 2)
            unrealized_pnl = ((price - position.averagePrice) * position.quantity * multiplier).rounded(scale: 2)
        }
        if let day {
            let pnl = day.pnl(symbol: position.symbol, quantity: position.quantity, averagePrice: position.averagePrice, last: last_price)
            day_pnl = last_price == nil ? nil : pnl.total.rounded(scale: 2)
            day_realized_pnl = pnl.realized.rounded(scale: 2)
            overnight_quantity = pnl.overnightQuantity
            previous_close = pnl.previousClose
        }
    }

    init(_ change: PositionChange) {
        // A flat position is shown as quantity 0.
        self.init(change.position ?? BrokerPosition(symbol: change.symbol, quantity: 0, averagePrice: 0), quote: nil)
        closed = change.position == nil
        if closed == true { side = "flat" }
    }
}

struct AccountDTO: Encodable, Sendable {
    var broker: String
    var environment: String
    var account_number: String
    var equity: Decimal
    var cash: Decimal
    var buying_power: Decimal
    var long_market_value: Decimal
    var short_market_value: Decimal
    var realized_pnl_today: Decimal?
    var as_of: Date
    /// True when a real broker is priced from simulated data (TA_MARKET_DATA=simulated).
    var simulated_prices: Bool

    init(_ account: BrokerAccount, broker: any BrokerPort, simulatedPrices: Bool) {
        self.broker = account.broker
        environment = broker.environment
        simulated_prices = simulatedPrices
        account_number = account.accountNumber
        equity = account.equity.rounded(scale: 2)
        cash = account.cash.rounded(scale: 2)
        buying_power = account.buyingPower.rounded(scale: 2)
        long_market_value = account.longMarketValue.rounded(scale: 2)
        short_market_value = account.shortMarketValue.rounded(scale: 2)
        realized_pnl_today = account.realizedPnLToday?.rounded(scale: 2)
        as_of = account.asOf
    }
}

struct OrderRequestDTO: Encodable, Sendable {
    var symbol: String
    var action: String
    var quantity: Decimal
    var type: String
    var duration: String
    var limit_price: Decimal?
    var stop_price: Decimal?
    var bracket_role: String?

    init(_ request: OrderRequest) {
        symbol = request.symbol.rawValue
        action = request.action.rawValue
        quantity = request.quantity
        type = request.type.rawValue
        duration = request.duration.rawValue
        limit_price = request.limitPrice
        stop_price = request.stopPrice
        bracket_role = request.bracketRole?.rawValue
    }
}

/// What the confirmation dialog shows, and the token that confirms exactly this order.
struct PreviewDTO: Encodable, Sendable {
    var order: OrderRequestDTO
    var plan_id: String?
    var bracket: Bool
    var exits: [OrderRequestDTO]
    var estimated_price: Decimal?
    var estimated_cost: Decimal
    var commission: Decimal
    var fees: Decimal
    var risk_amount: Decimal?
    var checks: [PreTradeCheck]
    var confirmation_token: String
    var expires_at: Date

    init(_ result: OrderPreviewResult) {
        order = OrderRequestDTO(result.ticket.request)
        plan_id = result.ticket.request.planID?.uuidString.lowercased()
        bracket = result.ticket.bracket
        exits = result.exits.map(OrderRequestDTO.init)
        estimated_price = result.preview.estimatedPrice
        estimated_cost = result.preview.estimatedCost.rounded(scale: 2)
        commission = result.preview.commission
        fees = result.preview.fees
        risk_amount = result.riskAmount?.rounded(scale: 2)
        checks = result.checks
        confirmation_token = result.confirmationToken
        expires_at = result.expiresAt
    }
}

struct BrokerDiagnostics: Encodable, Sendable {
    var broker: String
    var environment: String
    var accepting_orders: Bool
    var block_reason: String?
    var reconciled_at: Date?
    var reconciliation_runs: Int
    var mismatches: [String]
    var resolved_at_last_run: [String]
    var simulated_prices: Bool
    /// Filled positions whose bracket exits are not at the broker yet.
    var unprotected: [UnprotectedDTO]

    init(desk: OrderDesk) {
        let state = desk.reconciliationState
        broker = desk.broker.name
        environment = desk.broker.environment
        simulated_prices = desk.simulatedPrices
        unprotected = desk.unprotectedPositions.map(UnprotectedDTO.init)
        accepting_orders = state.blockReason == nil
        block_reason = state.blockReason
        reconciled_at = state.completedAt
        reconciliation_runs = state.runs
        mismatches = state.mismatches
        resolved_at_last_run = state.resolved
    }
}

struct UnprotectedDTO: Encodable, Sendable {
    var symbol: String
    var entry_order_id: String
    var quantity: Decimal
    var since: Date
    var reason: String

    init(_ position: UnprotectedPosition) {
        symbol = position.symbol.rawValue
        entry_order_id = position.entryID
        quantity = position.quantity
        since = position.since
        reason = position.reason
    }
}
