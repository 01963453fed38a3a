import Foundation
import TradingDomain

extension PaperLedger {
    /// Dry run: the price the order would be estimated at, its cost and commission — or why it
    /// would be refused. The estimate uses the limit price (limit, stop-limit), the stop price (stop)
    /// or, for a market order, the price it would fill at now (ask/bid with slippage).
    public func preview(_ request: OrderRequest, now: Date, quote: (Symbol) -> Quote?) -> Result<OrderPreview, PaperRejection> {
        let prices = prices(for: request.symbol, now: now, quote: quote)
        let price = estimatedPrice(request, prices: prices)
        if let rejection = check(request, price: price, now: now, quote: quote) { return .failure(rejection) }
        var warnings: [String] = []
        if prices == nil {
            warnings.append("no price for \(Self.marketSymbol(for: request.symbol)) yet: the order works until one arrives")
        }
        let estimated = price ?? 0
        return .success(OrderPreview(
            estimatedPrice: price, estimatedCost: request.units * estimated,
            commission: settings.commission(for: request), warnings: warnings))
    }

    /// The price a preview or buying-power check uses for `request`.
    func estimatedPrice(_ request: OrderRequest, prices: PaperPrices?) -> Decimal? {
        switch request.type {
        case .limit, .stopLimit: request.limitPrice
        case .stop: request.stopPrice
        case .market: prices.flatMap { marketFillPrice(isBuy: request.action.isBuy, prices: $0) }
        }
    }

    /// What a market order fills at: ask (else last) plus slippage for a buy, bid (else last)
    /// minus slippage (not below 0) for a sell, to 4 places.
    func marketFillPrice(isBuy: Bool, prices: PaperPrices) -> Decimal? {
        if isBuy {
            guard let ask = prices.buyReference else { return nil }
            return (ask + settings.slippage(at: ask)).rounded(scale: 4)
        }
        guard let bid = prices.sellReference else { return nil }
        return max(0, bid - settings.slippage(at: bid)).rounded(scale: 4)
    }

    /// Everything that refuses an order, checked when it is placed (with the estimated price) and
    /// again when it fills (with the fill price). Nil when the order may go ahead.
    func check(_ request: OrderRequest, price: Decimal?, now: Date, quote: (Symbol) -> Quote?) -> PaperRejection? {
        if let rejection = Self.checkShape(request, now: now) { return rejection }
        if let rejection = checkPosition(request) { return rejection }
        guard request.action.opens else { return nil }
        guard let price else {
            return PaperRejection(code: "no_price", reason: "no price for \(Self.marketSymbol(for: request.symbol)) to fill a market order at")
        }
        let value = request.units * price
        let commission = settings.commission(for: request)
        let needed = request.action.isBuy ? value + commission : value * PaperSettings.shortMarginRate + commission
        let available = buyingPower(now: now, quote: quote)
        guard needed <= available else {
            return PaperRejection(
                code: "insufficient_buying_power",
                reason: "the order needs \(needed.rounded(scale: 2)) of buying power; \(available.rounded(scale: 2)) is available")
        }
        return nil
    }

    /// Quantity, action against the symbol's kind, option symbol and prices.
    static func checkShape(_ request: OrderRequest, now: Date) -> PaperRejection? {
        guard request.quantity > 0, request.quantity.isWhole else {
            return PaperRejection(code: "invalid_quantity", reason: "quantity must be a positive whole number")
        }
        guard request.action.assetClass == request.assetClass else {
            let allowed = request.assetClass == .option
                ? "buy_to_open, sell_to_close, sell_to_open or buy_to_close" : "buy, sell, sell_short or buy_to_cover"
            return PaperRejection(code: "wrong_action", reason: "\(request.symbol) takes \(allowed), not \(request.action.rawValue)")
        }
        if request.assetClass == .option {
            guard let option = OptionSymbol(request.symbol) else {
                return PaperRejection(code: "invalid_option", reason: "\(request.symbol) is not a valid option symbol")
            }
            guard option.expiration > now else {
                return PaperRejection(code: "option_expired", reason: "\(request.symbol) has expired")
            }
        }
        if request.duration.isExtendedHours {
            guard request.type == .limit else {
                return PaperRejection(
                    code: "extended_hours_limit_only", reason: "\(request.duration.rawValue) (extended hours) takes limit orders only")
            }
            guard request.assetClass == .equity else {
                return PaperRejection(code: "extended_hours_equity_only", reason: "options trade in the regular session only")
            }
        }
        if request.type.needsLimitPrice {
            guard let limit = request.limitPrice, limit > 0 else {
                return PaperRejection(code: "missing_limit_price", reason: "a \(request.type.rawValue) order needs a positive limit price")
            }
        }
        if request.type.needsStopPrice {
            guard let stop = request.stopPrice, stop > 0 else {
                return PaperRejection(code: "missing_stop_price", reason: "a \(request.type.rawValue) order needs a positive stop price")
            }
        }
        return nil
    }

    /// Closing never exceeds what is held; opening the other side of a held position is refused.
    func checkPosition(_ request: OrderRequest) -> PaperRejection? {
        let held = quantity(of: request.symbol)
        let action = request.action.rawValue
        switch request.action {
        case .sell, .sellToClose:
            guard held >= request.quantity else {
                return PaperRejection(
                    code: "insufficient_position",
                    reason: "\(action) \(request.quantity) exceeds the \(max(0, held)) long held in \(request.symbol)")
            }
        case .buyToCover, .buyToClose:
            guard -held >= request.quantity else {
                return PaperRejection(
                    code: "insufficient_position",
                    reason: "\(action) \(request.quantity) exceeds the \(max(0, -held)) short in \(request.symbol)")
            }
        case .sellShort, .sellToOpen:
            guard settings.allowShort else {
                return PaperRejection(code: "short_not_allowed", reason: "short selling is turned off for the paper account")
            }
            guard held <= 0 else {
                return PaperRejection(
                    code: "position_is_long", reason: "\(request.symbol) is held long: sell it before selling short")
            }
        case .buy, .buyToOpen:
            guard held >= 0 else {
                let close = request.assetClass == .option ? "buy_to_close" : "buy_to_cover"
                return PaperRejection(code: "position_is_short", reason: "\(request.symbol) is held short: \(close) it first")
            }
        }
        return nil
    }
}
