import Foundation

extension PreTradeChecks {
    /// The `session` check of a new order at `now` (docs/orders.md, "The preview's session check"):
    /// - `pass` when the order can work now: a regular-session order while the market is open, a
    ///   `pre` / `post` order in its extended session;
    /// - `warn` when it waits: the market is closed (night, weekend, holiday) or in extended hours
    ///   and the order is for the regular session — it executes at the next open, named in New York
    ///   time (a market order is queued for the open, as US brokers do) — or a `pre` / `post` order
    ///   placed before its session;
    /// - `fail` when it cannot work: a `pre` order once today's pre-market is over, an extended-hours
    ///   order that is not a limit order or not on an equity.
    public static func session(_ request: OrderRequest, at now: Date, calendar: MarketCalendar) -> PreTradeCheck {
        let duration = request.duration
        if duration.isExtendedHours {
            if request.type != .limit {
                return PreTradeCheck("session", .fail, "\(duration.rawValue) (extended hours) takes limit orders only")
            }
            if request.assetClass == .option {
                return PreTradeCheck("session", .fail, "options trade in the regular session only; use day or gtc")
            }
        }
        let plan: OrderSessionPlan
        switch OrderSessionRules.plan(duration, at: now, calendar: calendar) {
        case .failure(let refusal): return PreTradeCheck("session", .fail, refusal.reason)
        case .success(let value): plan = value
        }
        let until = plan.expiresAt.map { " until \(OrderSessionRules.describe($0))" } ?? ""
        let situation = OrderSessionRules.describeSession(at: now, calendar: calendar)
        switch duration {
        case .day, .gtc:
            guard plan.waits else {
                let close = calendar.close(of: calendar.day(containing: now)).map { " (regular session until \(OrderSessionRules.describe($0)))" } ?? ""
                return PreTradeCheck("session", .pass, "the market is open\(close)")
            }
            let open = OrderSessionRules.describe(plan.startsAt)
            let current = calendar.session(at: now)
            var detail: String
            if request.type == .market {
                detail = "\(situation): this market order is queued and executes at the next open, \(open), at the first price then"
            } else {
                detail = "\(situation): this \(request.type.rawValue) order works from the next open, \(open)\(duration == .day ? until : "")"
            }
            if current == .pre || current == .post, request.assetClass == .equity {
                detail += "; to trade in extended hours use a limit order with duration pre or post"
            }
            return PreTradeCheck("session", .warn, detail)
        case .pre, .post:
            let name = duration == .pre ? "pre-market" : "after-hours"
            guard plan.waits else {
                return PreTradeCheck("session", .pass, "trades in the \(name) session\(until)")
            }
            return PreTradeCheck("session", .warn,
                "\(situation): this order works in the \(name) session from \(OrderSessionRules.describe(plan.startsAt))\(until)")
        }
    }
}
