import Foundation

/// One pre-trade check and what it found.
public struct PreTradeCheck: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case pass
        /// Allowed, but the trader should look (e.g. the quote is stale).
        case warn
        /// The order is refused.
        case fail
    }

    public var name: String
    public var outcome: Outcome
    public var detail: String

    public init(_ name: String, _ outcome: Outcome, _ detail: String) {
        self.name = name
        self.outcome = outcome
        self.detail = detail
    }
}

/// The checks every new order passes before a confirmation token is issued: a usable price,
/// buying power, the maximum position size and the maximum number of open positions.
/// (The risk engine's state and reconciliation are checked by the order desk itself.)
public enum PreTradeChecks {
    /// - Parameters:
    ///   - quoteStale: the quote is stale, judged only while the symbol's session trades (outside it a
    ///     price from the last session is expected, not stale).
    ///   - regularSession: the regular session is open now: a stale quote then blocks a market order
    ///     (it would fill at once at a price nobody has seen); otherwise it is a warning.
    public static func evaluate(
        _ request: OrderRequest, price: Decimal?, quoteStale: Bool, account: BrokerAccount,
        positions: [BrokerPosition], risk: RiskSettings, preview: OrderPreview, regularSession: Bool = false
    ) -> [PreTradeCheck] {
        var checks: [PreTradeCheck] = []
        let multiplier = Decimal(request.assetClass.multiplier)
        let held = positions.first { $0.symbol == request.symbol }?.quantity ?? 0
        let after = held + request.quantity * Decimal(request.action.sign)
        let increases = abs(after) > abs(held)

        if let price {
            if quoteStale && regularSession && request.type == .market {
                checks.append(PreTradeCheck("price", .fail,
                    "the last quote (\(price)) is stale while the market is open: a market order would fill at an unknown price; "
                        + "wait for live prices or use a limit order"))
            } else {
                checks.append(PreTradeCheck("price", quoteStale ? .warn : .pass,
                    quoteStale ? "the last quote (\(price)) is stale; the fill may differ" : "last price \(price)"))
            }
        } else {
            checks.append(PreTradeCheck("price", request.type == .market ? .fail : .warn,
                "no quote for \(request.symbol)" + (request.type == .market ? "; a market order needs one" : "")))
        }

        let cost = preview.estimatedCost + preview.commission + preview.fees
        if increases {
            if cost > account.buyingPower {
                checks.append(PreTradeCheck("buying_power", .fail,
                    "needs \(cost.rounded(scale: 2)) but buying power is \(account.buyingPower.rounded(scale: 2))"))
            } else {
                checks.append(PreTradeCheck("buying_power", .pass,
                    "uses \(cost.rounded(scale: 2)) of \(account.buyingPower.rounded(scale: 2))"))
            }
        } else {
            checks.append(PreTradeCheck("buying_power", .pass, "reduces a position"))
        }

        if increases, account.equity > 0, let unit = price ?? request.limitPrice ?? request.stopPrice {
            let exposure = abs(after) * unit * multiplier
            let pct = (exposure / account.equity * 100).rounded(scale: 2)
            let limit = risk.maxPositionSizePct
            checks.append(PreTradeCheck("max_position_size", pct > limit ? .fail : .pass,
                "position would be \(pct)% of equity (limit \(limit)%)"))
        }

        if let maxOpen = risk.maxOpenPositions, held == 0, increases {
            let open = positions.filter { $0.quantity != 0 }.count
            checks.append(PreTradeCheck("max_open_positions", open >= maxOpen ? .fail : .pass,
                "\(open) open positions (limit \(maxOpen))"))
        }

        for warning in preview.warnings {
            checks.append(PreTradeCheck("broker", .warn, warning))
        }
        return checks
    }

    /// Broker positions plus what working opening orders would add (their unfilled part: the filled
    /// part is in the positions already), so two confirmations cannot together pass a limit.
    public static func positions(_ held: [BrokerPosition], includingWorking working: [BrokerOrder]) -> [BrokerPosition] {
        var bySymbol = Dictionary(held.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        for order in working where order.request.action.opens && !order.status.isFinal {
            let request = order.request
            let remaining = order.remainingQuantity * Decimal(request.action.sign)
            guard remaining != 0 else { continue }
            var position = bySymbol[request.symbol]
                ?? BrokerPosition(symbol: request.symbol, quantity: 0, averagePrice: request.limitPrice ?? request.stopPrice ?? 0)
            position.quantity += remaining
            bySymbol[request.symbol] = position
        }
        return bySymbol.values.sorted { $0.symbol < $1.symbol }
    }
}
