import APIInput
import Foundation
import Synchronization
import TradingDomain

/// Plan checks and position sizing with the server's defaults filled in: equity and buying power
/// from the broker's account (paper or Tradier; the settings' equity when the broker cannot be
/// asked), the risk budget from the settings, the request's own values over both, and — when the
/// request leaves them out — the last price from the quote cache and the ATR of recent minute
/// bars, so the "entry far from the last price" and "stop tighter than volatility" warnings work
/// without the client sending them.
public struct PlanningService: Sendable {
    public let settings: SettingsService
    public let market: MarketDataService?
    /// The broker's account now (nil: no broker; sizing uses the settings' equity).
    let brokerAccount: (@Sendable () async throws -> BrokerAccount)?
    /// The last account read, reused for a few seconds: a plan list sizes every plan, and Tradier
    /// counts each account request against its rate limit.
    let recentAccount = RecentValue<BrokerAccount>(maxAge: .seconds(5))
    /// Minute bars used for the ATR (14 periods of true range need 15 bars).
    static let atrBars = 30

    public init(
        settings: SettingsService, market: MarketDataService? = nil,
        brokerAccount: (@Sendable () async throws -> BrokerAccount)? = nil
    ) {
        self.settings = settings
        self.market = market
        self.brokerAccount = brokerAccount
    }

    /// What sizing uses when the request does not say, and where its equity came from.
    public func sizingDefaults() async throws -> (account: SizingAccount, source: SizingAccountSource) {
        let current = try await settings.current()
        var account = SizingAccount(
            equity: current.account.equity,
            buyingPower: nil,
            riskBudget: .percentOfEquity(current.risk.riskPerTradePct),
            maxPositionSizePct: current.risk.maxPositionSizePct,
            roundLots: false)
        guard let brokerAccount else { return (account, .settings(reason: nil)) }
        do {
            let broker = try await recentAccount.value(or: brokerAccount)
            account.equity = broker.equity
            account.buyingPower = broker.buyingPower
            return (account, .broker(name: broker.broker))
        } catch {
            return (account, .settings(reason: "the broker's account could not be read (\(error)); sized from the settings' equity"))
        }
    }

    /// `POST /plan/validate`: shape errors throw (422); rule violations come back as `valid: false`.
    public func evaluate(_ body: JSONValue) async throws -> PlanEvaluation {
        var request = try PlanningInput.plan(body, defaults: try await sizingDefaults().account)
        if request.context.lastPrice == nil {
            request.context.lastPrice = market?.cache.quote(for: request.plan.symbol)?.price
        }
        if request.context.atr == nil {
            request.context.atr = await recentATR(request.plan.symbol)
        }
        return PlanEvaluator.evaluate(request.plan, context: request.context)
    }

    /// `POST /sizing/suggest`: every degenerate input throws (422) with the reason. The answer
    /// says where the equity came from (`account_source`: `broker`, `settings`, or `request` when
    /// the body gave it) and the equity and buying power used.
    public func suggestSize(_ body: JSONValue) async throws -> SizingAnswer {
        let (defaults, source) = try await sizingDefaults()
        let request = try PlanningInput.sizing(body, defaults: defaults)
        var result = try PositionSizer.size(request)
        if case .settings(let reason?) = source {
            result.warnings.append(PlanningIssue(code: "account_from_settings", field: nil, message: reason))
        }
        var fromRequest = false
        if case .object(let fields) = body, let equity = fields["equity"], equity != .null { fromRequest = true }
        return SizingAnswer(
            result: result, accountSource: fromRequest ? "request" : source.name,
            equity: request.account.equity, buyingPower: request.account.buyingPower)
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

/// Where sizing's account figures came from.
public enum SizingAccountSource: Sendable, Hashable {
    case broker(name: String)
    /// The settings' equity: no broker, or it could not be read (`reason`).
    case settings(reason: String?)

    public var name: String {
        switch self {
        case .broker: "broker"
        case .settings: "settings"
        }
    }
}

/// `POST /sizing/suggest`'s answer: the sizer's result and the account it sized with.
public struct SizingAnswer: Sendable, Encodable {
    public var result: SizingResult
    /// `broker`, `settings` or `request`.
    public var accountSource: String
    public var equity: Decimal
    public var buyingPower: Decimal?

    enum CodingKeys: String, CodingKey {
        case accountSource = "account_source"
        case equity
        case buyingPower = "buying_power"
    }

    public func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(accountSource, forKey: .accountSource)
        try container.encode(equity, forKey: .equity)
        try container.encodeIfPresent(buyingPower, forKey: .buyingPower)
    }
}

/// A value kept for `maxAge` after it was read (monotonic time: a cache lifetime, not market time).
final class RecentValue<Value: Sendable>: Sendable {
    let maxAge: Duration
    private let stored = Mutex<(value: Value, at: ContinuousClock.Instant)?>(nil)

    init(maxAge: Duration) { self.maxAge = maxAge }

    func value(or read: @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        if let kept = stored.withLock({ $0 }), now - kept.at < maxAge { return kept.value }
        let value = try await read()
        stored.withLock { $0 = (value, now) }
        return value
    }
}
