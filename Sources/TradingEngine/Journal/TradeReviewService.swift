import Foundation
import Logging
import Synchronization
import TradingDomain

/// Reviews journaled trades (docs/journal.md, "Trade review"): reads the trade's fills and their
/// orders, the linked plan and the minute bars of the holding period from the market's bars port
/// (the simulated history offline), and computes `TradeReview`. Reviews of closed trades are kept
/// in memory by entry and its `updatedAt`, so stats over many trades ask the provider once each.
public final class TradeReviewService: Sendable {
    let orders: any OrderRepository
    let journal: (any JournalRepository)?
    let plans: any PlanRepository
    let bars: (any MarketSnapshotSource)?
    let calendar: any MarketCalendarSource
    let logger: Logger
    private let cache = Mutex<[UUID: (updatedAt: Date, review: TradeReview)]>([:])

    public init(
        orders: any OrderRepository, journal: (any JournalRepository)? = nil, plans: any PlanRepository, bars: (any MarketSnapshotSource)?,
        calendar: any MarketCalendarSource, logger: Logger = Logger(label: "journal")
    ) {
        self.orders = orders
        self.journal = journal
        self.plans = plans
        self.bars = bars
        self.calendar = calendar
        self.logger = logger
    }

    /// Reviews per stats request that may ask the bars source (the rest use the fill prices until
    /// a later request reaches them), so a long journal does not spend a provider's request budget
    /// at once.
    public static let barFetchesPerRequest = 100

    /// The review of one entry; a failing bars source leaves the fill prices as the excursion (not
    /// kept, so a later request tries the bars again).
    public func review(_ entry: JournalEntry) async throws -> TradeReview {
        try await review(entry, fetchBars: true)
    }

    func review(_ entry: JournalEntry, fetchBars: Bool) async throws -> TradeReview {
        if let cached = cache.withLock({ $0[entry.id] }), cached.updatedAt == entry.updatedAt, entry.status == .closed {
            return cached.review
        }
        var fills = try await orders.tradeFills(entryID: entry.id)
        if fills.isEmpty, entry.source == .imported, let journal { fills = try await journal.importedFills(entryID: entry.id) }
        var orderPrices: [String: Decimal?] = [:]
        for index in fills.indices {
            let id = fills[index].clientOrderID
            if orderPrices[id] == nil {
                let request = try await orders.find(clientOrderID: id)?.order.request
                orderPrices[id] = .some(request.flatMap { $0.type == .stop ? $0.stopPrice : ($0.limitPrice ?? $0.stopPrice) })
            }
            fills[index].orderPrice = orderPrices[id] ?? nil
        }
        let plan = try await entry.planID.asyncFlatMap { try await plans.find(id: $0) }
            .flatMap { $0.plan.symbol == entry.symbol && $0.plan.side == entry.side ? $0.plan : nil }
        let history = fetchBars ? await holdingBars(entry) : nil
        let review = TradeReview.compute(entry: entry, bars: history, plan: plan, fills: fills, calendar: calendar.calendar())
        if entry.status == .closed && (history != nil || (bars == nil && fetchBars)) {
            cache.withLock { $0[entry.id] = (entry.updatedAt, review) }
        }
        return review
    }

    /// Reviews of the closed entries among `entries`, by id.
    public func reviews(_ entries: [JournalEntry]) async throws -> [UUID: TradeReview] {
        var result: [UUID: TradeReview] = [:]
        var fetches = 0
        for entry in entries where entry.status == .closed {
            let cached = cache.withLock { $0[entry.id] }.map { $0.updatedAt == entry.updatedAt } ?? false
            let fetch = cached || fetches < Self.barFetchesPerRequest
            if !cached && fetch { fetches += 1 }
            result[entry.id] = try await review(entry, fetchBars: fetch)
        }
        return result
    }

    /// Minute bars of the holding period (daily bars past `TradeReview.longHoldMinutes`), or nil
    /// when no source is wired or it fails.
    public func holdingBars(_ entry: JournalEntry) async -> [Bar]? {
        guard let bars else { return nil }
        let end = entry.closedAt ?? entry.openedAt
        let minutes = Int(end.timeIntervalSince(entry.openedAt) / 60) + 1
        let timespan: Timespan = minutes > TradeReview.longHoldMinutes ? .day : .minute
        // The bar holding the entry starts at or before it: a minute floor, or a day earlier.
        let from = timespan == .minute
            ? Date(timeIntervalSince1970: (entry.openedAt.timeIntervalSince1970 / 60).rounded(.down) * 60)
            : entry.openedAt.addingTimeInterval(-86_400)
        do {
            return try await bars.bars(
                for: entry.symbol, timespan: timespan, from: from, to: end, limit: TradeReview.longHoldMinutes + 2)
        } catch {
            logger.info("journal review: no bars for \(entry.symbol.rawValue): \(error)")
            return nil
        }
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
