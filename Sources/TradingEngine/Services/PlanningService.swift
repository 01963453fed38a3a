import Foundation
import TradingDomain

/// Plan checks and position sizing with the server's defaults filled in: equity and risk budget
/// from the settings (the broker account's equity and buying power take over once a broker is
/// wired), and the request's own values over both.
public struct PlanningService: Sendable {
    public let settings: SettingsService

    public init(settings: SettingsService) {
        self.settings = settings
    }

    /// What sizing uses when the request does not say.
    public func sizingDefaults() async throws -> SizingAccount {
        let current = try await settings.current()
        return SizingAccount(
            equity: current.account.equity,
            buyingPower: nil,
            riskBudget: .percentOfEquity(current.risk.riskPerTradePct),
            maxPositionSizePct: current.risk.maxPositionSizePct,
            roundLots: false)
    }

    /// `POST /plan/validate`: shape errors throw (422); rule violations come back as `valid: false`.
    public func evaluate(_ body: JSONValue) async throws -> PlanEvaluation {
        let request = try PlanningInput.plan(body, defaults: try await sizingDefaults())
        return PlanEvaluator.evaluate(request.plan, context: request.context)
    }

    /// `POST /sizing/suggest`: every degenerate input throws (422) with the reason.
    public func suggestSize(_ body: JSONValue) async throws -> SizingResult {
        try PositionSizer.size(PlanningInput.sizing(body, defaults: try await sizingDefaults()))
    }
}
