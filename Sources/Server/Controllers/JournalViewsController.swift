import APIInput
import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// Read-only views of the journal (docs/journal.md): stats with their distributions, the month
/// calendar, and one trade's review (MAE/MFE, planned vs realised R, slippage).
struct JournalViewsController {
    let repository: any JournalRepository
    let reviews: TradeReviewService
    let plans: any PlanRepository
    let settings: SettingsService
    let calendar: any MarketCalendarSource

    func register(on group: RouterGroup<AppRequestContext>) {
        // Win rate, expectancy, profit factor, drawdown and the equity curve, overall and by tag,
        // symbol, weekday, hour, session; the R histogram, streaks and MAE/MFE points, over the
        // entries the filters select (the equity curve starts at the account equity).
        // `after_losses` (1-10, default 2) sets the run of losses after which a trade is flagged.
        group.get("journal/stats") { request, _ in
            let parameters = request.uri.queryParameters
            let query = try JournalController.query(
                from: parameters, allowPaging: false, allowed: ["symbol", "tag", "from", "to", "after_losses"])
            var rules = DisciplineRules()
            if let text = parameters.get("after_losses") {
                guard let value = Int(text), DisciplineRules.afterLossesRange.contains(value) else {
                    throw ValidationFailure(field: "after_losses", message: "must be a whole number from 1 to 10")
                }
                rules.afterLosses = value
            }
            let entries = try await repository.all(matching: query)
            let current = try await settings.current()
            rules.riskBudget = current.account.equity * current.risk.riskPerTradePct / 100
            for planID in Set(entries.compactMap(\.planID)) {
                if let plan = try await plans.find(id: planID) { rules.plans[planID] = plan.plan }
            }
            let reviewed = try await reviews.reviews(entries)
            return JSONResponse(JournalStats.compute(
                entries, startingEquity: current.account.equity, calendar: calendar.calendar(), reviews: reviewed, rules: rules))
        }
        group.get("journal/calendar") { request, _ in
            let parameters = request.uri.queryParameters
            let query = try JournalController.query(from: parameters, allowPaging: false, allowed: ["symbol", "tag", "month"])
            let month = try Self.month(parameters.get("month"))
            // The New York day of the close decides which day a trade belongs to.
            let entries = try await repository.all(matching: query)
            return JSONResponse(CalendarDTO(month: month, days: JournalCalendar.days(entries, month: month)))
        }
        group.get("journal/:id/review") { _, context in
            let id = try JournalController.id(context)
            guard let entry = try await repository.find(id: id) else { throw JournalController.notFound(id) }
            return JSONResponse(TradeReviewDTO(entry: entry, review: try await reviews.review(entry)))
        }
        // The bars the review measured (the trade detail's chart): empty when the market data has none.
        group.get("journal/:id/bars") { _, context in
            let id = try JournalController.id(context)
            guard let entry = try await repository.find(id: id) else { throw JournalController.notFound(id) }
            let bars = await reviews.holdingBars(entry) ?? []
            return JSONResponse(MarketController.BarsDTO(
                symbol: entry.symbol.rawValue, timespan: (bars.first?.timespan ?? .minute).rawValue, bars: bars.map(MarketController.BarDTO.init)))
        }
    }

    /// `month` is required, `yyyy-MM`.
    static func month(_ text: String?) throws -> String {
        guard let text else { throw ValidationFailure(field: "month", message: "is required, as yyyy-MM (e.g. 2026-03)") }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (1970...2100).contains(year), (1...12).contains(month)
        else { throw ValidationFailure(field: "month", message: "must be a month as yyyy-MM (e.g. 2026-03)") }
        return text
    }
}

struct CalendarDTO: Encodable, Sendable {
    var month: String
    var days: [JournalDay]
}

/// A trade's review as the API shows it (docs/journal.md, "Trade review").
struct TradeReviewDTO: Encodable, Sendable {
    var entry: JournalEntry
    var review: TradeReview

    enum CodingKeys: String, CodingKey {
        case entry_id, symbol, asset_class, side, status, multiplier, quantity, entry_price, exit_price, stop, opened_at, closed_at, pnl,
             mae, mfe, mae_r, mfe_r, best_price, worst_price, excursion_source, bars_used,
             planned_r, realized_r, exit_efficiency, planned_entry, entry_slippage, exit_slippage,
             holding_seconds, session, entry_hour, entry_weekday, fills
    }

    struct FillDTO: Encodable, Sendable {
        var fill: TradeFill
        enum CodingKeys: String, CodingKey { case fill_id, client_order_id, effect, quantity, price, time, order_price }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(fill.fillID, forKey: .fill_id)
            try c.encode(fill.clientOrderID, forKey: .client_order_id)
            try c.encode(fill.effect, forKey: .effect)
            try c.encode(fill.quantity, forKey: .quantity)
            try c.encode(fill.price, forKey: .price)
            try c.encode(fill.time, forKey: .time)
            try c.encode(fill.orderPrice, forKey: .order_price)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entry.id.uuidString.lowercased(), forKey: .entry_id)
        try c.encode(entry.symbol, forKey: .symbol)
        try c.encode(entry.assetClass, forKey: .asset_class)
        try c.encode(entry.side, forKey: .side)
        try c.encode(entry.status, forKey: .status)
        try c.encode(review.multiplier, forKey: .multiplier)
        try c.encode(entry.quantity, forKey: .quantity)
        try c.encode(entry.entryPrice, forKey: .entry_price)
        try c.encode(entry.exitPrice, forKey: .exit_price)
        try c.encode(entry.stop, forKey: .stop)
        try c.encode(entry.openedAt, forKey: .opened_at)
        try c.encode(entry.closedAt, forKey: .closed_at)
        try c.encode(entry.metrics.pnl, forKey: .pnl)
        try c.encode(review.mae, forKey: .mae)
        try c.encode(review.mfe, forKey: .mfe)
        try c.encode(review.maeR, forKey: .mae_r)
        try c.encode(review.mfeR, forKey: .mfe_r)
        try c.encode(review.bestPrice, forKey: .best_price)
        try c.encode(review.worstPrice, forKey: .worst_price)
        try c.encode(review.excursionSource, forKey: .excursion_source)
        try c.encode(review.barsUsed, forKey: .bars_used)
        try c.encode(review.plannedR, forKey: .planned_r)
        try c.encode(review.realizedR, forKey: .realized_r)
        try c.encode(review.exitEfficiency, forKey: .exit_efficiency)
        try c.encode(review.plannedEntry, forKey: .planned_entry)
        try c.encode(review.entrySlippage, forKey: .entry_slippage)
        try c.encode(review.exitSlippage, forKey: .exit_slippage)
        try c.encode(review.holdingSeconds, forKey: .holding_seconds)
        try c.encode(review.session, forKey: .session)
        try c.encode(review.entryHour, forKey: .entry_hour)
        try c.encode(review.entryWeekday, forKey: .entry_weekday)
        try c.encode(review.fills.map(FillDTO.init), forKey: .fills)
    }
}
