import Foundation
import TradingDomain

extension PaperLedger {
    /// Places an order tagged `clientOrderID`. A valid order gets the next broker order id
    /// (`P-1`, `P-2`, …), starts working (`open`) and is matched at once; an invalid one is kept as
    /// `rejected` with the reason. Its session plan (`OrderSessionRules.plan`) sets when it expires;
    /// placed outside its session it works (`open`) but waits, and its `reason` says until when (a
    /// market order placed while the market is closed is queued for the open). Placing a client
    /// order id that is already on the books changes nothing and answers that order (a repeat is
    /// not a second order).
    public mutating func submit(
        _ request: OrderRequest, clientOrderID: String, now: Date, quote: (Symbol) -> Quote?
    ) -> PaperSubmission {
        if let existing = order(clientOrderID: clientOrderID) {
            let rejection = existing.status == .rejected
                ? PaperRejection(code: "rejected", reason: existing.reason ?? "rejected") : nil
            return PaperSubmission(order: existing, rejection: rejection, updates: [])
        }
        let prices = prices(for: request.symbol, now: now, quote: quote)
        let plan = OrderSessionRules.plan(request.duration, at: now, calendar: calendar)
        var rejection = check(request, price: estimatedPrice(request, prices: prices), now: now, quote: quote)
        if rejection == nil, case .failure(let refusal) = plan {
            rejection = PaperRejection(code: refusal.code, reason: refusal.reason)
        }
        if let rejection {
            let rejected = BrokerOrder(
                clientOrderID: clientOrderID, request: request, status: .rejected, reason: rejection.reason,
                createdAt: now, updatedAt: now)
            appendFinished(rejected)
            revision += 1
            return PaperSubmission(order: rejected, rejection: rejection, updates: [.order(rejected)])
        }
        let session = try? plan.get()
        let order = BrokerOrder(
            clientOrderID: clientOrderID, brokerOrderID: "P-\(nextOrderNumber)", request: request, status: .open,
            reason: session.flatMap { waitingReason(request, plan: $0, now: now) }, createdAt: now, updatedAt: now)
        nextOrderNumber += 1
        workingOrders.append(PaperOrder(order: order, expiresAt: session?.expiresAt))
        revision += 1
        let updates = [PaperUpdate.order(order)] + match(now: now, quote: quote, only: [clientOrderID])
        return PaperSubmission(order: self.order(clientOrderID: clientOrderID) ?? order, rejection: nil, updates: updates)
    }

    /// Cancels a working order. An order that is already final is left as it is (not an error);
    /// an unknown id throws `notFound`.
    public mutating func cancel(brokerOrderID: String, now: Date) throws(PaperLedgerError) -> [PaperUpdate] {
        guard let index = workingIndex(brokerOrderID: brokerOrderID) else {
            if order(brokerOrderID: brokerOrderID) != nil { return [] }
            throw .notFound(brokerOrderID)
        }
        return [finish(at: index, status: .canceled, reason: "canceled by request", now: now)]
    }

    /// Changes a working order's type, duration, limit or stop price (nil leaves a field as it is;
    /// a price the new type does not use is dropped). The changed order is checked like a new one
    /// and matched at once. A stop order whose type or stop price changes waits for its stop again;
    /// a day order made gtc no longer expires, a gtc order made day expires at the next close. The
    /// session of a `pre` / `post` order cannot be changed, nor an order made `pre` / `post` (as at
    /// Tradier): cancel it and place a new one.
    public mutating func modify(
        brokerOrderID: String, type: OrderType? = nil, duration: OrderDuration? = nil, limitPrice: Decimal? = nil,
        stopPrice: Decimal? = nil, now: Date, quote: (Symbol) -> Quote?
    ) throws(PaperLedgerError) -> [PaperUpdate] {
        guard let index = workingIndex(brokerOrderID: brokerOrderID) else {
            if let final = order(brokerOrderID: brokerOrderID) {
                throw .rejected(PaperRejection(
                    code: "not_working", reason: "order \(brokerOrderID) is already \(final.status.rawValue)"))
            }
            throw .notFound(brokerOrderID)
        }
        var working = workingOrders[index]
        var request = working.order.request
        if let duration, duration != request.duration, duration.isExtendedHours || request.duration.isExtendedHours {
            throw .rejected(PaperRejection(
                code: "session_change", reason: "the session of a pre or post order cannot be changed: cancel it and place a new one"))
        }
        request.type = type ?? request.type
        request.duration = duration ?? request.duration
        request.limitPrice = request.type.needsLimitPrice ? (limitPrice ?? request.limitPrice) : nil
        request.stopPrice = request.type.needsStopPrice ? (stopPrice ?? request.stopPrice) : nil
        let prices = prices(for: request.symbol, now: now, quote: quote)
        if let rejection = check(request, price: estimatedPrice(request, prices: prices), now: now, quote: quote) {
            throw .rejected(rejection)
        }
        let old = working.order.request
        if request.type != old.type || request.stopPrice != old.stopPrice { working.triggered = false }
        if request.duration != old.duration {
            working.expiresAt = try? OrderSessionRules.plan(request.duration, at: now, calendar: calendar).get().expiresAt
        }
        working.order.request = request
        working.order.updatedAt = now
        workingOrders[index] = working
        revision += 1
        let clientOrderID = working.order.clientOrderID
        return [.order(working.order)] + match(now: now, quote: quote, only: [clientOrderID])
    }

    /// Expires day, pre and post orders whose session has ended (the `expiresAt` of their session
    /// plan: the regular close — 13:00 on an early close — the end of the pre-market or of the
    /// after-hours session), and working orders on options that have expired. Gtc orders stay.
    public mutating func expireDayOrders(now: Date) -> [PaperUpdate] {
        var updates: [PaperUpdate] = []
        var index = 0
        while index < workingOrders.count {
            let working = workingOrders[index]
            if let expiresAt = working.expiresAt, expiresAt <= now {
                updates.append(finish(at: index, status: .expired, reason: Self.expiryReason(working.order.request, at: expiresAt), now: now))
            } else if let option = OptionSymbol(working.order.request.symbol), option.expiration <= now {
                updates.append(finish(at: index, status: .expired, reason: "the option expired", now: now))
            } else {
                index += 1
            }
        }
        return updates
    }

    // MARK: sessions

    /// Why a new order waits, or nil when it can fill now.
    func waitingReason(_ request: OrderRequest, plan: OrderSessionPlan, now: Date) -> String? {
        guard plan.waits || !OrderSessionRules.mayFill(request.duration, at: now, calendar: calendar) else { return nil }
        let situation = OrderSessionRules.describeSession(at: now, calendar: calendar)
        let start = OrderSessionRules.describe(plan.startsAt)
        switch request.duration {
        case .day, .gtc:
            if request.type == .market {
                return "queued: \(situation); a market order executes at the next open, \(start), at the first price then"
            }
            return "waiting: \(situation); works from the next open, \(start)"
        case .pre: return "waiting: \(situation); works in the pre-market session from \(start)"
        case .post: return "waiting: \(situation); works in the after-hours session from \(start)"
        }
    }

    static func expiryReason(_ request: OrderRequest, at time: Date) -> String {
        let when = OrderSessionRules.describe(time)
        switch request.duration {
        case .pre: return "pre order expired at the end of the pre-market session (\(when))"
        case .post: return "post order expired at the end of the after-hours session (\(when))"
        case .day, .gtc: return "day order expired at the session close (\(when))"
        }
    }

    // MARK: bookkeeping

    func workingIndex(brokerOrderID: String) -> Int? {
        workingOrders.firstIndex { $0.order.brokerOrderID == brokerOrderID }
    }

    /// Moves the working order at `index` to the finished ones with a final status.
    mutating func finish(
        at index: Int, status: OrderStatus, reason: String?, now: Date, fillPrice: Decimal? = nil
    ) -> PaperUpdate {
        var order = workingOrders.remove(at: index).order
        order.status = status
        order.reason = reason
        order.updatedAt = now
        if let fillPrice {
            order.filledQuantity = order.request.quantity
            order.averageFillPrice = fillPrice
        }
        appendFinished(order)
        revision += 1
        return .order(order)
    }

    mutating func appendFinished(_ order: BrokerOrder) {
        finishedOrders.append(order)
        if finishedOrders.count > Self.maxFinishedOrders {
            finishedOrders.removeFirst(finishedOrders.count - Self.maxFinishedOrders)
        }
    }

    mutating func appendFill(_ fill: Fill) {
        fills.append(fill)
        if fills.count > Self.maxFills { fills.removeFirst(fills.count - Self.maxFills) }
    }
}
