import Foundation
import TradingDomain

extension PaperLedger {
    /// Fills every working order the current prices reach, oldest first, each in full:
    /// - market: a buy at the ask (else last) plus slippage, a sell at the bid (else last) minus slippage;
    /// - limit: a buy when the ask (else last) is at or below the limit, at min(limit, ask); a sell
    ///   when the bid (else last) is at or above the limit, at max(limit, bid); no slippage;
    /// - stop: a buy triggers when the last (else ask) reaches the stop from below, a sell when the
    ///   last (else bid) reaches it from above; it then fills as a market order;
    /// - stop-limit: triggers the same way, then works as a limit order.
    ///
    /// Only orders whose session the market is in are matched (`OrderSessionRules.mayFill`: regular
    /// for day and gtc, pre-market for `pre`, after-hours for `post`; nothing on a closed day), and
    /// only on a quote received since that session started, so an order queued overnight or over a
    /// weekend fills at the session's first price, never at the last session's (stops do not
    /// trigger outside their session either).
    ///
    /// Options trade at their model prices (`prices(for:now:quote:)`). A fill is checked again
    /// (position rules, buying power at the fill price); an order that fails is rejected with the
    /// reason instead. Each fill yields `.fill` then the order's `.order(filled)`.
    public mutating func match(now: Date, quote: (Symbol) -> Quote?) -> [PaperUpdate] {
        match(now: now, quote: quote, only: nil)
    }

    mutating func match(now: Date, quote: (Symbol) -> Quote?, only: Set<String>?) -> [PaperUpdate] {
        guard !workingOrders.isEmpty else { return [] }
        let session = calendar.session(at: now)
        guard let sessionStart = OrderSessionRules.sessionStart(at: now, calendar: calendar) else { return [] }
        var cache: [Symbol: PaperPrices?] = [:]
        var updates: [PaperUpdate] = []
        var index = 0
        while index < workingOrders.count {
            let working = workingOrders[index]
            let symbol = working.order.request.symbol
            guard only?.contains(working.order.clientOrderID) ?? true,
                  working.order.request.duration.session == session else {
                index += 1
                continue
            }
            let prices: PaperPrices?
            if let known = cache[symbol] {
                prices = known
            } else {
                prices = self.prices(for: symbol, now: now, receivedSince: sessionStart, quote: quote)
                cache[symbol] = prices
            }
            guard let prices else {
                index += 1
                continue
            }
            let (triggered, price) = decide(working, prices: prices)
            if triggered, !working.triggered {
                workingOrders[index].triggered = true
                revision += 1
            }
            guard let price else {
                index += 1
                continue
            }
            updates += fill(at: index, price: price, now: now, quote: quote)
        }
        return updates
    }

    /// Whether a stop was reached, and the price the order fills at now (nil: it keeps working).
    func decide(_ working: PaperOrder, prices: PaperPrices) -> (triggered: Bool, price: Decimal?) {
        let request = working.order.request
        let isBuy = request.action.isBuy
        var triggered = working.triggered
        if request.type.needsStopPrice, !triggered, let stop = request.stopPrice {
            let watched = isBuy ? prices.buyTrigger : prices.sellTrigger
            if let watched, isBuy ? watched >= stop : watched <= stop { triggered = true }
        }
        switch request.type {
        case .market:
            return (false, marketFillPrice(isBuy: isBuy, prices: prices))
        case .stop:
            return (triggered, triggered ? marketFillPrice(isBuy: isBuy, prices: prices) : nil)
        case .limit, .stopLimit:
            guard request.type == .limit || triggered, let limit = request.limitPrice else { return (triggered, nil) }
            if isBuy {
                guard let ask = prices.buyReference, ask <= limit else { return (triggered, nil) }
                return (triggered, min(limit, ask))
            }
            guard let bid = prices.sellReference, bid >= limit else { return (triggered, nil) }
            return (triggered, max(limit, bid))
        }
    }

    /// Fills the working order at `index` in full at `price` (or rejects it when the fill is no
    /// longer allowed) and moves it to the finished orders.
    mutating func fill(at index: Int, price: Decimal, now: Date, quote: (Symbol) -> Quote?) -> [PaperUpdate] {
        let order = workingOrders[index].order
        let request = order.request
        if let rejection = check(request, price: price, now: now, quote: quote) {
            return [finish(at: index, status: .rejected, reason: "at fill time: \(rejection.reason)", now: now)]
        }
        let fill = Fill(
            id: "\(order.clientOrderID)#1", clientOrderID: order.clientOrderID, symbol: request.symbol,
            action: request.action, quantity: request.quantity, price: price,
            commission: settings.commission(for: request), time: now)
        apply(fill)
        appendFill(fill)
        return [.fill(fill), finish(at: index, status: .filled, reason: nil, now: now, fillPrice: price)]
    }

    /// Books an execution: cash moves by the signed value (× multiplier) less the commission;
    /// the position grows at a new average price, or shrinks realising P&L against its average
    /// price; it is removed at 0, and one that crosses 0 restarts on the other side at the fill price.
    mutating func apply(_ fill: Fill) {
        let multiplier = Decimal(fill.assetClass.multiplier)
        let delta = fill.signedQuantity
        cash -= delta * fill.price * multiplier + fill.commission
        commissionsPaid += fill.commission
        revision += 1
        guard let index = paperPositions.firstIndex(where: { $0.symbol == fill.symbol }) else {
            insert(PaperPosition(symbol: fill.symbol, quantity: delta, averagePrice: fill.price, openedAt: fill.time))
            return
        }
        var position = paperPositions[index]
        let held = position.quantity
        if (held > 0) == (delta > 0) {
            let total = abs(held) + abs(delta)
            position.averagePrice = ((abs(held) * position.averagePrice + abs(delta) * fill.price) / total).rounded(scale: 6)
            position.quantity = held + delta
            paperPositions[index] = position
            return
        }
        let closed = min(abs(held), abs(delta))
        let direction: Decimal = held > 0 ? 1 : -1
        let realized = closed * (fill.price - position.averagePrice) * direction * multiplier
        book(realized: realized, at: fill.time)
        position.realizedPnL += realized
        position.quantity = held + delta
        if position.quantity == 0 {
            paperPositions.remove(at: index)
        } else {
            if (position.quantity > 0) != (held > 0) {
                position.averagePrice = fill.price
                position.openedAt = fill.time
            }
            paperPositions[index] = position
        }
    }

    private mutating func insert(_ position: PaperPosition) {
        let index = paperPositions.firstIndex { $0.symbol > position.symbol } ?? paperPositions.endIndex
        paperPositions.insert(position, at: index)
    }

    private mutating func book(realized: Decimal, at time: Date) {
        realizedPnL += realized
        let day = calendar.tradingDay(at: time)
        if realizedDay != day {
            realizedDay = day
            realizedPnLOfDay = 0
        }
        realizedPnLOfDay += realized
    }
}
