import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// Saved trade plans, newest first with keyset pages (created time, then id).
public struct FluentPlanRepository: PlanRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func insert(_ plan: SavedPlan) async throws {
        let model = TradePlanModel()
        model.id = plan.id
        Self.copy(plan, into: model)
        try await model.create(on: store.db())
    }

    public func find(id: UUID) async throws -> SavedPlan? {
        try await TradePlanModel.find(id, on: store.db()).map(Self.plan(from:))
    }

    public func update(_ plan: SavedPlan) async throws -> Bool {
        let db = try store.db()
        guard let model = try await TradePlanModel.find(plan.id, on: db) else { return false }
        Self.copy(plan, into: model)
        try await model.update(on: db)
        return true
    }

    public func delete(id: UUID) async throws -> Bool {
        let db = try store.db()
        guard let model = try await TradePlanModel.find(id, on: db) else { return false }
        try await model.delete(on: db)
        return true
    }

    public func list(symbol: Symbol?, limit: Int, after: PageCursor?) async throws -> (plans: [SavedPlan], next: PageCursor?) {
        let builder = TradePlanModel.query(on: try store.db())
        if let symbol { builder.filter(\.$symbol == symbol.rawValue) }
        let page = try await builder.newestFirstPage(time: \.$createdAtMs, after: after, limit: limit)
        let plans = try page.rows.map(Self.plan(from:))
        let next = page.next
        return (plans, next)
    }

    static func copy(_ saved: SavedPlan, into model: TradePlanModel) {
        let plan = saved.plan
        model.symbol = plan.symbol.rawValue
        model.side = plan.side.rawValue
        model.assetClass = plan.assetClass.rawValue
        model.entry = DecimalColumns.text(plan.entry)
        model.stop = DecimalColumns.text(plan.stop)
        model.targets = DecimalColumns.listText(plan.targets)
        model.quantity = plan.quantity.map(DecimalColumns.text)
        model.thesis = plan.thesis
        model.timeframe = plan.timeframe
        model.createdAtMs = saved.createdAt.epochMilliseconds
        model.updatedAtMs = saved.updatedAt.epochMilliseconds
    }

    static func plan(from model: TradePlanModel) throws -> SavedPlan {
        guard let id = model.id, let side = Side(rawValue: model.side), let assetClass = AssetClass(rawValue: model.assetClass) else {
            throw StoredDataError("trade plan \(model.id?.uuidString ?? "?") has an unreadable column")
        }
        let plan = TradePlan(
            symbol: Symbol(trusted: model.symbol), side: side, assetClass: assetClass,
            entry: try DecimalColumns.decimal(model.entry, column: "entry", row: id),
            stop: try DecimalColumns.decimal(model.stop, column: "stop", row: id),
            targets: try DecimalColumns.list(model.targets, column: "targets", row: id),
            quantity: try model.quantity.map { try DecimalColumns.decimal($0, column: "quantity", row: id) },
            thesis: model.thesis, timeframe: model.timeframe)
        return SavedPlan(
            id: id, plan: plan, createdAt: Date(epochMilliseconds: model.createdAtMs),
            updatedAt: Date(epochMilliseconds: model.updatedAtMs))
    }
}
