import APIInput
import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// The trade journal: list (filters, cursor pages), create, read, merge-patch, delete. Stats, the
/// calendar and trade reviews are in `JournalViewsController`.
struct JournalController {
    let repository: any JournalRepository
    let plans: any PlanRepository
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("journal") { request, _ in
            let query = try Self.query(from: request.uri.queryParameters)
            let page = try await repository.list(query)
            return JSONResponse(PageDTO(items: page.entries.map(JournalEntryDTO.init), next: page.nextCursor))
        }
        group.post("journal") { request, context in
            let body = try await request.jsonBody(context: context)
            let entry = try JournalInput.create(body, id: UUID(), now: clock.now().truncatedToMilliseconds)
            try await checkPlanLink(entry.planID)
            try await repository.insert(entry)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/journal/\(entry.id.uuidString.lowercased())"
            return JSONResponse(JournalEntryDTO(entry), status: .created, headers: headers)
        }
        group.get("journal/:id") { _, context in
            JSONResponse(JournalEntryDTO(try await existing(context)))
        }
        group.patch("journal/:id") { request, context in
            let entry = try await existing(context)
            let patch = try await request.jsonBody(context: context)
            let updated = try JournalInput.update(entry, patch: patch, now: clock.now().truncatedToMilliseconds)
            if updated.planID != entry.planID { try await checkPlanLink(updated.planID) }
            guard try await repository.update(updated) else { throw Self.notFound(entry.id) }
            return JSONResponse(JournalEntryDTO(updated))
        }
        group.delete("journal/:id") { _, context in
            let id = try Self.id(context)
            guard try await repository.delete(id: id) else { throw Self.notFound(id) }
            return Response(status: .noContent)
        }
    }

    /// An entry may only point at a plan that exists.
    private func checkPlanLink(_ planID: UUID?) async throws {
        guard let planID, try await plans.find(id: planID) == nil else { return }
        throw ValidationFailure(field: "plan_id", message: "no saved plan has id \(planID.uuidString.lowercased())")
    }

    private func existing(_ context: AppRequestContext) async throws -> JournalEntry {
        let id = try Self.id(context)
        guard let entry = try await repository.find(id: id) else { throw Self.notFound(id) }
        return entry
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        let raw = try context.parameters.require("id")
        guard let id = UUID(uuidString: raw) else {
            throw Problem.notFound("no journal entry with id '\(raw)' (ids are UUIDs)")
        }
        return id
    }

    static func notFound(_ id: UUID) -> Problem {
        .notFound("no journal entry with id \(id.uuidString.lowercased())")
    }

    /// Query parameters: symbol, tag, status (open|closed), from, to (ISO-8601), limit (1-200), cursor.
    /// `allowed` overrides the accepted names (the calendar takes `month` instead of `from`/`to`).
    static func query(from parameters: Parameters, allowPaging: Bool = true, allowed: Set<String>? = nil) throws -> JournalQuery {
        var errors = FieldErrors()
        var query = JournalQuery()
        parameters.rejectUnknown(
            allowed: allowed ?? (allowPaging ? ["symbol", "tag", "status", "from", "to", "limit", "cursor"] : ["symbol", "tag", "from", "to"]),
            errors: &errors)
        if let symbol = parameters.get("symbol") {
            query.symbol = errors.collect { try Symbol(validating: symbol) }
        }
        if let tag = parameters.get("tag") {
            if let normalized = JournalInput.normalizeTag(tag) { query.tag = normalized } else {
                errors.add("tag", "must be 1-32 characters of a-z, 0-9 and '-'")
            }
        }
        if allowPaging, let status = parameters.get("status") {
            if let parsed = JournalEntry.Status(rawValue: status.lowercased()) { query.status = parsed } else {
                errors.add("status", "must be 'open' or 'closed'")
            }
        }
        for key in ["from", "to"] {
            guard let text = parameters.get(key) else { continue }
            guard let date = ISO8601.parse(text) else {
                errors.add(key, "must be an ISO-8601 time with a zone, e.g. 2026-01-02T14:30:00Z")
                continue
            }
            if key == "from" { query.from = date } else { query.to = date }
        }
        if let from = query.from, let to = query.to, from > to {
            errors.add("to", "must not be before from")
        }
        if let limit = parameters.get("limit") {
            if let value = Int(limit), (1...JournalQuery.maxLimit).contains(value) { query.limit = value } else {
                errors.add("limit", "must be a whole number from 1 to \(JournalQuery.maxLimit)")
            }
        }
        if let cursor = parameters.get("cursor") {
            if let parsed = PageCursor(token: cursor) { query.after = parsed } else {
                errors.add("cursor", "is not a cursor returned by this endpoint")
            }
        }
        try errors.throwIfAny()
        return query
    }
}

/// A journal entry as the API shows it: stored fields plus status, P&L and R multiple.
struct JournalEntryDTO: Encodable, Sendable {
    var entry: JournalEntry

    init(_ entry: JournalEntry) {
        self.entry = entry
    }

    enum CodingKeys: String, CodingKey {
        case id, symbol, asset_class, side, status, entry_price, exit_price, quantity, stop, targets, fees, tags,
             notes, opened_at, closed_at, source, plan_id, created_at, updated_at,
             gross_pnl, pnl, initial_risk, r_multiple, return_pct
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let metrics = entry.metrics
        try c.encode(entry.id.uuidString.lowercased(), forKey: .id)
        try c.encode(entry.symbol, forKey: .symbol)
        try c.encode(entry.assetClass, forKey: .asset_class)
        try c.encode(entry.side, forKey: .side)
        try c.encode(entry.status, forKey: .status)
        try c.encode(entry.entryPrice, forKey: .entry_price)
        try c.encode(entry.exitPrice, forKey: .exit_price)
        try c.encode(entry.quantity, forKey: .quantity)
        try c.encode(entry.stop, forKey: .stop)
        try c.encode(entry.targets, forKey: .targets)
        try c.encode(entry.fees, forKey: .fees)
        try c.encode(entry.tags, forKey: .tags)
        try c.encode(entry.notes, forKey: .notes)
        try c.encode(entry.openedAt, forKey: .opened_at)
        try c.encode(entry.closedAt, forKey: .closed_at)
        try c.encode(entry.source, forKey: .source)
        try c.encode(entry.planID?.uuidString.lowercased(), forKey: .plan_id)
        try c.encode(entry.createdAt, forKey: .created_at)
        try c.encode(entry.updatedAt, forKey: .updated_at)
        try c.encode(metrics.grossPnL, forKey: .gross_pnl)
        try c.encode(metrics.pnl, forKey: .pnl)
        try c.encode(metrics.initialRisk, forKey: .initial_risk)
        try c.encode(metrics.rMultiple, forKey: .r_multiple)
        try c.encode(metrics.returnPct, forKey: .return_pct)
    }
}
