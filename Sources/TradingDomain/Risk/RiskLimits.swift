import Foundation

// Limits from `RiskSettings`, checked against a `RiskSnapshot`. Rules:
//
// - Daily loss: the limit is the tighter (smaller) of `maxDailyLoss` and, when set,
//   `maxDailyLossPct` % of the snapshot's day-start equity, as money. Breached when
//   day P&L ≤ −limit (reaching the limit counts). `value` = day P&L, `limit` = that amount.
// - Open risk: breached when openRiskPct > maxOpenRiskPct.
// - Position size: breached when a position's exposurePct > maxPositionSizePct; one breach per
//   symbol (`symbol` set).
// - Open positions (only when `maxOpenPositions` is set): breached when the count > max.
// - Percent checks use the snapshot's 2-place percents; a nil percent (equity not positive)
//   breaches nothing.
//
// Hysteresis (`clearFraction` = 0.9): once breached, an episode ends only when the value is back
// strictly inside 90 % of the limit: daily loss limit 1,000 → breached at −1,000, still breached
// at −900, cleared at −899.99; open risk limit 6 % → breached above 6 %, cleared below 5.4 %.
// The open-positions count is a whole number that prices cannot move, so it clears as soon as
// the count is back within the limit (count ≤ max).

/// Which limit a breach is of. The raw values are stable and used in episode ids and alerts.
public enum RiskLimitKind: String, Sendable, Hashable, Codable, CaseIterable {
    case dailyLoss = "daily_loss"
    case openRisk = "open_risk"
    case positionSize = "position_size"
    case openPositions = "open_positions"
    /// Not a limit: a filled position whose bracket exits are not at the broker yet.
    case unprotectedPosition = "unprotected_position"
}

/// One limit that the snapshot is past.
public struct RiskBreach: Sendable, Hashable, Codable {
    public var kind: RiskLimitKind
    /// The measured value: day P&L (money), a percent of equity, or a count.
    public var value: Decimal
    /// The limit it is compared with, in the same unit (daily loss: a positive amount).
    public var limit: Decimal
    /// Plain English, e.g. "Day P&L -1,250.00 is past the daily loss limit of 1,000.00".
    public var message: String
    /// Set for position-size breaches.
    public var symbol: Symbol?

    public init(kind: RiskLimitKind, value: Decimal, limit: Decimal, message: String, symbol: Symbol? = nil) {
        self.kind = kind
        self.value = value
        self.limit = limit
        self.message = message
        self.symbol = symbol
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(value, forKey: .value)
        try c.encode(limit, forKey: .limit)
        try c.encode(message, forKey: .message)
        try c.encode(symbol, forKey: .symbol)
    }
}

/// Checks a snapshot against the settings' limits. See the rules at the top of this file.
public enum RiskLimits {
    /// An episode ends only when the value is back inside this fraction of the limit.
    public static let clearFraction: Decimal = Decimal(9) / 10

    /// Every limit the snapshot is past, in a fixed order: daily loss, open risk, position size
    /// (by symbol), open positions.
    public static func breaches(_ snapshot: RiskSnapshot, settings: RiskSettings) -> [RiskBreach] {
        var result: [RiskBreach] = []
        let dailyLimit = dailyLossLimit(snapshot, settings: settings)
        if snapshot.dayPnL <= -dailyLimit {
            var pct = "", limitText = money(dailyLimit)
            if let maxPct = settings.maxDailyLossPct, dailyLimit < settings.maxDailyLoss {
                pct = snapshot.dayPnLPct.map { " (\(percent($0)))" } ?? ""
                limitText += " (\(percent(maxPct)) of day-start equity \(money(snapshot.dayStartEquity)))"
            }
            result.append(RiskBreach(
                kind: .dailyLoss, value: snapshot.dayPnL, limit: dailyLimit,
                message: "Day P&L \(money(snapshot.dayPnL))\(pct) is past the daily loss limit of \(limitText)"))
        }
        if let pct = snapshot.openRiskPct, pct > settings.maxOpenRiskPct {
            result.append(RiskBreach(
                kind: .openRisk, value: pct, limit: settings.maxOpenRiskPct,
                message: "Open risk \(money(snapshot.openRisk)) is \(percent(pct)) of equity, "
                    + "over the open risk limit of \(percent(settings.maxOpenRiskPct))"))
        }
        for position in snapshot.positions {
            guard let pct = position.exposurePct, pct > settings.maxPositionSizePct else { continue }
            result.append(RiskBreach(
                kind: .positionSize, value: pct, limit: settings.maxPositionSizePct,
                message: "\(position.symbol) is \(money(position.marketValue)), \(percent(pct)) of equity, "
                    + "over the position size limit of \(percent(settings.maxPositionSizePct))",
                symbol: position.symbol))
        }
        if let max = settings.maxOpenPositions, snapshot.openPositions > max {
            result.append(RiskBreach(
                kind: .openPositions, value: Decimal(snapshot.openPositions), limit: Decimal(max),
                message: "\(snapshot.openPositions) open positions is over the limit of \(max)"))
        }
        return result
    }

    /// True when an episode of `kind` (on `symbol` for position size) has ended: the value is back
    /// inside `clearFraction` of the limit, the position is gone, or the limit is no longer set.
    /// A value that cannot be measured (equity not positive) does not end an episode.
    public static func isCleared(
        _ kind: RiskLimitKind, symbol: Symbol?, snapshot: RiskSnapshot, settings: RiskSettings
    ) -> Bool {
        switch kind {
        case .dailyLoss:
            return snapshot.dayPnL > -dailyLossLimit(snapshot, settings: settings) * clearFraction
        case .openRisk:
            guard let pct = snapshot.openRiskPct else { return false }
            return pct < settings.maxOpenRiskPct * clearFraction
        case .positionSize:
            guard let symbol, let position = snapshot.position(symbol) else { return true }
            guard let pct = position.exposurePct else { return false }
            return pct < settings.maxPositionSizePct * clearFraction
        case .openPositions:
            guard let max = settings.maxOpenPositions else { return true }
            return snapshot.openPositions <= max
        case .unprotectedPosition:
            // Not a limit episode of the state machine: the order desk clears it.
            return true
        }
    }

    /// The daily loss limit in money: the tighter of the amount and the percent of day-start equity.
    public static func dailyLossLimit(_ snapshot: RiskSnapshot, settings: RiskSettings) -> Decimal {
        guard let pct = settings.maxDailyLossPct, snapshot.dayStartEquity > 0 else { return settings.maxDailyLoss }
        return min(settings.maxDailyLoss, snapshot.dayStartEquity * pct / 100)
    }

    /// Money with thousands separators and 2 places: `-1250` → `-1,250.00`.
    static func money(_ value: Decimal) -> String {
        let text = PlanningFormat.money(value)
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var whole = Array(parts.first.map(String.init) ?? "0")
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + String(whole.suffix(3)) + grouped
            whole.removeLast(3)
        }
        grouped = String(whole) + grouped
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + grouped + fraction
    }

    /// A percent with 2 places and a `%` sign.
    static func percent(_ value: Decimal) -> String { PlanningFormat.percent(value) }
}
