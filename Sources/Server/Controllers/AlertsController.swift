import APIInput
import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// Alerts: `GET/POST /api/v1/alerts`, `GET/PATCH/DELETE /api/v1/alerts/{id}`,
/// `GET /api/v1/alerts/triggers`. Every change reaches the engine at once.
struct AlertsController {
    let repository: any AlertRepository
    let engine: AlertEngine
    let maxAlerts: Int
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("alerts") { request, _ in
            let query = try AlertQuery(parameters: Self.parameters(request))
            let page = try await repository.list(query)
            return JSONResponse(PageDTO(items: page.rules.map(AlertDTO.init), next: page.next))
        }
        group.get("alerts/triggers") { request, _ in
            let query = try AlertTriggerQuery(parameters: Self.parameters(request))
            let page = try await repository.triggers(query)
            return JSONResponse(PageDTO(items: page.triggers.map { AlertFiringDTO($0.firing, id: $0.id) }, next: page.next))
        }
        group.post("alerts") { request, context in
            let body = try await request.jsonBody(context: context)
            let rule = try AlertInput.create(body, id: UUID(), now: clock.now().truncatedToMilliseconds)
            try await engine.create(rule, maxAlerts: maxAlerts)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/alerts/\(rule.id.uuidString.lowercased())"
            return JSONResponse(AlertDTO(rule), status: .created, headers: headers)
        }
        group.get("alerts/:id") { _, context in
            JSONResponse(AlertDTO(try await existing(context)))
        }
        group.patch("alerts/:id") { request, context in
            // Start from the engine's copy when it holds the alert: its state (fire count, last side)
            // can be newer than storage while a batch of firings is being stored.
            let stored = try await existing(context)
            let rule = engine.rule(id: stored.id) ?? stored
            let patch = try await request.jsonBody(context: context)
            let updated = try AlertInput.update(rule, patch: patch, now: clock.now().truncatedToMilliseconds)
            guard try await repository.update(updated) else { throw Self.notFound(rule.id) }
            engine.armed(updated)
            return JSONResponse(AlertDTO(updated))
        }
        group.delete("alerts/:id") { _, context in
            let rule = try await existing(context)
            guard try await repository.delete(id: rule.id) else { throw Self.notFound(rule.id) }
            engine.removed(id: rule.id)
            return Response(status: .noContent)
        }
    }

    static func parameters(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    private func existing(_ context: AppRequestContext) async throws -> AlertRule {
        let raw = try context.parameters.require("id")
        guard let id = UUID(uuidString: raw) else { throw Problem.notFound("no alert with id '\(raw)' (ids are UUIDs)") }
        guard let rule = try await repository.find(id: id) else { throw Self.notFound(id) }
        return rule
    }

    static func notFound(_ id: UUID) -> Problem {
        .notFound("no alert with id \(id.uuidString.lowercased())")
    }
}

/// An alert as the API shows it.
struct AlertDTO: Encodable, Sendable {
    var rule: AlertRule

    init(_ rule: AlertRule) {
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey {
        case id, symbol, type, threshold, direction, mode, cooldown_s, expires_at, note, sessions, status, created_at, updated_at,
             last_fired_at, fire_count
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule.id.uuidString.lowercased(), forKey: .id)
        try c.encode(rule.symbol, forKey: .symbol)
        try c.encode(rule.type, forKey: .type)
        try c.encode(rule.threshold, forKey: .threshold)
        try c.encode(rule.direction, forKey: .direction)
        try c.encode(rule.mode, forKey: .mode)
        try c.encode(rule.cooldownSeconds, forKey: .cooldown_s)
        try c.encode(rule.expiresAt, forKey: .expires_at)
        try c.encode(rule.note, forKey: .note)
        try c.encode(rule.sessions, forKey: .sessions)
        try c.encode(rule.status, forKey: .status)
        try c.encode(rule.createdAt, forKey: .created_at)
        try c.encode(rule.updatedAt, forKey: .updated_at)
        try c.encode(rule.lastFiredAt, forKey: .last_fired_at)
        try c.encode(rule.fireCount, forKey: .fire_count)
    }
}

/// A firing as the API and the WebSocket `alert` event show it.
struct AlertFiringDTO: Encodable, Sendable {
    var firing: AlertFiring
    var id: UUID?

    init(_ firing: AlertFiring, id: UUID? = nil) {
        self.firing = firing
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case id, alert_id, sequence, symbol, type, threshold, level, side, price, time, source, note
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let id { try c.encode(id.uuidString.lowercased(), forKey: .id) }
        try c.encode(firing.alertID.uuidString.lowercased(), forKey: .alert_id)
        try c.encode(firing.sequence, forKey: .sequence)
        try c.encode(firing.symbol, forKey: .symbol)
        try c.encode(firing.type, forKey: .type)
        try c.encode(firing.threshold, forKey: .threshold)
        try c.encode(firing.level, forKey: .level)
        try c.encode(firing.side, forKey: .side)
        try c.encode(firing.price, forKey: .price)
        try c.encode(firing.time, forKey: .time)
        try c.encode(firing.source, forKey: .source)
        try c.encode(firing.rule.note, forKey: .note)
    }
}
