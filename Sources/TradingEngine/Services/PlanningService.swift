import APIInput
import Foundation
import TradingDomain

/// Plan checks and position sizing with the server's defaults filled in: equity and risk budget
/// from the settings (the broker account's equity and buying power take over once a broker is
/// wired), the request's own values over both, and — when the request leaves them out — the last
/// price from the quote cache and the ATR of recent minute bars, so the "entry far from the last
/// price" and "stop tighter than volatility" warnings work without the client sending them.
public struct PlanningService: Sendable {
    public let settings: SettingsService
    public let market: MarketDataService?
    /// Minute bars used for the ATR (14 periods of true range need 15 bars).
    static let atrBars = 30

    public init(settings: SettingsService, market: MarketDataService? = nil) {
        self.settings = settings
        self.market = market
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
        var request = try PlanningInput.plan(body, defaults: try await sizingDefaults())
        if request.context.lastPrice == nil {
            request.context.lastPrice = market?.cache.quote(for: request.plan.symbol)?.price
        }
        if request.context.atr == nil {
            request.context.atr = await recentATR(request.plan.symbol)
        }
        return PlanEvaluator.evaluate(request.plan, context: request.context)
    }

    /// `POST /sizing/suggest`: every degenerate input throws (422) with the reason.
    public func suggestSize(_ body: JSONValue) async throws -> SizingResult {
        try PositionSizer.size(PlanningInput.sizing(body, defaults: try await sizingDefaults()))
    }

    /// ATR of the last minute bars, when the market-data provider has them (nil otherwise: the
    /// volatility warning is then simply not given).
    func recentATR(_ symbol: Symbol) async -> Decimal? {
        guard let source = market?.snapshots, !symbol.isOption else { return nil }
        let now = Date()
        guard let bars = try? await source.bars(
            for: symbol, timespan: .minute, from: now.addingTimeInterval(-5 * 86_400), to: now, limit: Self.atrBars)
        else { return nil }
        return AverageTrueRange.compute(bars.map { OHLC(open: $0.open, high: $0.high, low: $0.low, close: $0.close) })
    }
}
