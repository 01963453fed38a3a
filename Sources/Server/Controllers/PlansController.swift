import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// Saved plans: `GET/POST /api/v1/plans`, `GET/PATCH/DELETE /api/v1/plans/{id}`.
/// Each answer carries the plan's evaluation with the current settings.
struct PlansController {
    let repository: any PlanRepository
    let planning: PlanningService
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("plans") { request, _ in
            let parameters = request.uri.queryParameters
            var errors = FieldErrors()
            parameters.rejectUnknown(allowed: ["symbol", "limit", "cursor"], errors: &errors)
            let symbol = parameters.get("symbol").flatMap { text in errors.collect { try Symbol(validating: text) } }
            var limit = 50
            if let text = parameters.get("limit") {
                if let value = Int(text), (1...200).contains(value) { limit = value } else {
                    errors.add("limit", "must be a whole number from 1 to 200")
                }
            }
            let cursor = parameters.get("cursor").flatMap { text in
                PageCursor(token: text) ?? { errors.add("cursor", "is not a cursor returned by this endpoint"); return nil }()
            }
            try errors.throwIfAny()
            let page = try await repository.list(symbol: symbol, limit: limit, after: cursor)
            let defaults = try await planning.sizingDefaults().account
            return JSONResponse(PageDTO(items: page.plans.map { SavedPlanDTO($0, defaults: defaults) }, next: page.next))
        }
        group.post("plans") { request, context in
            let plan = try SavedPlan.readPlan(try await request.jsonBody(context: context))
            let now = clock.now().truncatedToMilliseconds
            let saved = SavedPlan(id: UUID(), plan: plan, createdAt: now, updatedAt: now)
            try await repository.insert(saved)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/plans/\(saved.id.uuidString.lowercased())"
            return JSONResponse(SavedPlanDTO(saved, defaults: try await planning.sizingDefaults().account), status: .created, headers: headers)
        }
        group.get("plans/:id") { _, context in
            JSONResponse(SavedPlanDTO(try await existing(context), defaults: try await planning.sizingDefaults().account))
        }
        group.patch("plans/:id") { request, context in
            let saved = try await existing(context)
            let updated = try saved.applying(patch: try await request.jsonBody(context: context), now: clock.now().truncatedToMilliseconds)
            guard try await repository.update(updated) else { throw Self.notFound(saved.id) }
            return JSONResponse(SavedPlanDTO(updated, defaults: try await planning.sizingDefaults().account))
        }
        group.delete("plans/:id") { _, context in
            let saved = try await existing(context)
            guard try await repository.delete(id: saved.id) else { throw Self.notFound(saved.id) }
            return Response(status: .noContent)
        }
    }

    private func existing(_ context: AppRequestContext) async throws -> SavedPlan {
        let raw = try context.parameters.require("id")
        guard let id = UUID(uuidString: raw) else { throw Problem.notFound("no saved plan with id '\(raw)' (ids are UUIDs)") }
        guard let saved = try await repository.find(id: id) else { throw Self.notFound(id) }
        return saved
    }

    static func notFound(_ id: UUID) -> Problem {
        .notFound("no saved plan with id \(id.uuidString.lowercased())")
    }
}

/// A saved plan as the API shows it: its fields, times, and its evaluation now.
struct SavedPlanDTO: Encodable, Sendable {
    var saved: SavedPlan
    var evaluation: PlanEvaluation

    init(_ saved: SavedPlan, defaults: SizingAccount) {
        self.saved = saved
        evaluation = PlanEvaluator.evaluate(saved.plan, context: PlanContext(account: defaults))
    }

    enum CodingKeys: String, CodingKey {
        case id, symbol, side, asset_class, entry, stop, targets, quantity, thesis, timeframe, created_at, updated_at, evaluation
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let plan = saved.plan
        try c.encode(saved.id.uuidString.lowercased(), forKey: .id)
        try c.encode(plan.symbol, forKey: .symbol)
        try c.encode(plan.side, forKey: .side)
        try c.encode(plan.assetClass, forKey: .asset_class)
        try c.encode(plan.entry, forKey: .entry)
        try c.encode(plan.stop, forKey: .stop)
        try c.encode(plan.targets, forKey: .targets)
        try c.encode(plan.quantity, forKey: .quantity)
        try c.encode(plan.thesis, forKey: .thesis)
        try c.encode(plan.timeframe, forKey: .timeframe)
        try c.encode(saved.createdAt, forKey: .created_at)
        try c.encode(saved.updatedAt, forKey: .updated_at)
        try c.encode(evaluation, forKey: .evaluation)
    }
}
