import APIInput
import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// `GET /api/v1/risk`, the kill switch (`POST /api/v1/risk/halt`, `/resume`) and
/// `GET /api/v1/risk/firings`.
struct RiskController {
    let engine: RiskEngine

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("risk") { _, _ in
            if let report = engine.report, report.snapshot != nil { return JSONResponse(RiskDTO(report)) }
            // Before the first evaluation (or if it failed): evaluate now; a broker error still
            // shows the state, which matters most (a halt survives restarts).
            if let report = try? await engine.evaluate() { return JSONResponse(RiskDTO(report)) }
            guard let report = engine.report else { throw Problem(.serviceUnavailable, code: "risk_unavailable", detail: "risk is not evaluated yet") }
            return JSONResponse(RiskDTO(report))
        }
        group.post("risk/halt") { request, context in
            let reason = try await Self.reason(request, context, required: true)
            return JSONResponse(RiskDTO(try await engine.halt(reason: reason)))
        }
        group.post("risk/resume") { request, context in
            let reason = try await Self.reason(request, context, required: false)
            do {
                return JSONResponse(RiskDTO(try await engine.resume(reason: reason)))
            } catch let refusal as RiskResumeRefusal {
                throw Problem(.conflict, code: refusal.code, title: "Cannot resume", detail: refusal.reason)
            }
        }
        group.get("risk/firings") { _, _ in
            JSONResponse(["items": try await engine.repository.firings(limit: 100).map(RiskFiringDTO.init)])
        }
    }

    static func reason(_ request: Request, _ context: AppRequestContext, required: Bool) async throws -> String {
        var errors = FieldErrors()
        let body = try await request.jsonBody(context: context)
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        var reason: String?
        switch reader.string("reason", errors: &errors, maxLength: 200, allowEmpty: false) {
        case .value(let text): reason = text.trimmingWhitespace()
        case .null: errors.add("reason", "must be a string (or left out)")
        case .absent: break
        }
        reader.rejectUnknownKeys(errors: &errors)
        if required, reason == nil || reason?.isEmpty == true, !errors.errors.contains(where: { $0.field == "reason" }) {
            errors.add("reason", "is required: say why trading is halted")
        }
        try errors.throwIfAny()
        return reason ?? "resumed by the user"
    }
}

/// The risk report as the API and the `risk` event show it.
struct RiskDTO: Encodable, Sendable {
    var report: RiskReport

    init(_ report: RiskReport) {
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case state, reason, since, manual_halt, trading_day, snapshot, breaches, open_episodes, limits, error, unprotected
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let state = report.state
        try c.encode(state.mode.rawValue, forKey: .state)
        try c.encode(state.reason, forKey: .reason)
        try c.encode(state.since, forKey: .since)
        try c.encode(state.manualHalt, forKey: .manual_halt)
        try c.encode(state.tradingDay, forKey: .trading_day)
        try c.encode(report.snapshot, forKey: .snapshot)
        try c.encode(report.breaches, forKey: .breaches)
        try c.encode(state.openEpisodes.values.sorted { $0.startedAt < $1.startedAt }.map(EpisodeDTO.init), forKey: .open_episodes)
        try c.encode(report.limits, forKey: .limits)
        try c.encode(report.error, forKey: .error)
        try c.encode(report.unprotected.map(UnprotectedDTO.init), forKey: .unprotected)
    }

    struct EpisodeDTO: Encodable {
        var id: String
        var kind: String
        var symbol: String?
        var started_at: Date
        var value: Decimal
        var limit: Decimal
        var message: String

        init(_ episode: RiskState.Episode) {
            id = episode.id
            kind = episode.kind.rawValue
            symbol = episode.symbol?.rawValue
            started_at = episode.startedAt
            value = episode.value
            limit = episode.limit
            message = episode.message
        }
    }
}

/// A risk breach firing, as listed and as sent in an `alert` event (`type: risk`).
struct RiskFiringDTO: Encodable, Sendable {
    var type = "risk"
    var episode_id: String
    var kind: String
    var symbol: String?
    var value: Decimal
    var limit: Decimal
    var message: String
    var mode: String
    var time: Date

    init(_ firing: RiskFiring) {
        episode_id = firing.episodeID
        kind = firing.kind.rawValue
        symbol = firing.symbol?.rawValue
        value = firing.value
        limit = firing.limit
        message = firing.message
        mode = firing.mode.rawValue
        time = firing.time
    }
}
