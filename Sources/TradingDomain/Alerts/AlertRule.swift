import Foundation

/// What an alert watches. Semantics in `docs/alerts.md`.
public enum AlertType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Level: fires on a tick with price ≥ threshold.
    case priceAbove = "price_above"
    /// Level: fires on a tick with price ≤ threshold.
    case priceBelow = "price_below"
    /// Edge: fires when the price moves strictly through the threshold, either way.
    case priceCross = "price_cross"
    /// Level: fires when the move from the previous close reaches ± threshold percent.
    case percentChange = "percent_change"

    /// Level types fire while their condition holds (once per entry into it); `price_cross` fires on a change of side.
    public var isLevel: Bool { self != .priceCross }
}

/// Which way a `percent_change` alert looks from the previous close.
public enum PercentDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fires when price ≥ previous close × (1 + threshold/100).
    case up
    /// Fires when price ≤ previous close × (1 − threshold/100).
    case down
    /// Either of the two.
    case either
}

/// One firing then done (`once`), or again after a cooldown (`repeat`).
public enum AlertMode: String, Sendable, Hashable, Codable, CaseIterable {
    case once
    case `repeat`
}

public enum AlertStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Held by the engine and evaluated on every tick.
    case active
    /// A `once` alert that fired. PATCH `"status":"active"` re-arms it.
    case triggered
    /// Reached `expires_at` without being re-armed; never fires.
    case expired
    /// Turned off by the user; never fires.
    case disabled
}

/// Which prints an alert sees (docs/alerts.md, "Sessions").
public enum AlertSessions: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only prints of the regular session (09:30–16:00 New York, 13:00 on an early close).
    case regular
    /// Every print as it arrives, pre-market and after-hours included (the default).
    case extended
}

/// Which side of its trigger price an alert last saw the price on (persisted; see `AlertRule.lastSide`).
public enum AlertSide: String, Sendable, Hashable, Codable, CaseIterable {
    case above
    case below
    case unknown
}

/// An alert as stored. Everything here is persisted, including the engine's state
/// (`status`, `lastSide`, `lastFiredAt`, `fireCount`), so a restart neither loses nor repeats a firing.
public struct AlertRule: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var symbol: Symbol
    public var type: AlertType
    /// A price for the `price_*` types; a percent (5 = 5 %) for `percent_change`. Always > 0.
    public var threshold: Decimal
    /// Only for `percent_change` (never nil there); nil for every other type.
    public var direction: PercentDirection?
    public var mode: AlertMode
    /// Only for `repeat` (never nil there): minimum seconds between two firings.
    public var cooldownSeconds: Int?
    /// The alert can fire only at times strictly before this; at or after it, it expires.
    public var expiresAt: Date?
    public var note: String
    /// Which prints the alert sees: `extended` (every print, the default) or `regular` only.
    public var sessions: AlertSessions
    public var status: AlertStatus
    public var createdAt: Date
    /// Last change by the user or a status change by the engine (triggered, expired).
    public var updatedAt: Date
    public var lastFiredAt: Date?
    /// Number of firings so far; the n-th firing carries `sequence` n (unique per alert).
    public var fireCount: Int
    /// - `price_cross`: the side (strictly above or below the threshold) of the last price seen since
    ///   creation or re-arming; a price equal to the threshold leaves it unchanged. `unknown` until then.
    /// - level types: the side the alert last fired on (`above` for the up condition, `below` for the
    ///   down one) while the price is still there — it must leave before the alert can fire again;
    ///   `unknown` when it may fire.
    public var lastSide: AlertSide

    public init(
        id: UUID, symbol: Symbol, type: AlertType, threshold: Decimal, direction: PercentDirection? = nil,
        mode: AlertMode = .once, cooldownSeconds: Int? = nil, expiresAt: Date? = nil, note: String = "",
        sessions: AlertSessions = .extended, status: AlertStatus = .active, createdAt: Date, updatedAt: Date, lastFiredAt: Date? = nil,
        fireCount: Int = 0, lastSide: AlertSide = .unknown
    ) {
        self.id = id
        self.symbol = symbol
        self.type = type
        self.threshold = threshold
        self.direction = type == .percentChange ? (direction ?? .either) : nil
        self.mode = mode
        self.cooldownSeconds = mode == .repeat ? cooldownSeconds : nil
        self.expiresAt = expiresAt
        self.note = note
        self.sessions = sessions
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastFiredAt = lastFiredAt
        self.fireCount = fireCount
        self.lastSide = lastSide
    }

    /// Seconds that must pass after a firing before the next one (nil for `once`).
    public var cooldown: TimeInterval? {
        guard mode == .repeat, let seconds = cooldownSeconds else { return nil }
        return TimeInterval(seconds)
    }

    /// When the cooldown after the last firing ends (nil when there is none).
    public var cooldownEndsAt: Date? {
        guard let cooldown, let lastFiredAt else { return nil }
        return lastFiredAt.addingTimeInterval(cooldown)
    }

    /// True when a firing at `time` would not break the cooldown.
    public func isCooled(at time: Date) -> Bool {
        guard let end = cooldownEndsAt else { return true }
        return time >= end
    }

    /// When the alert last took in a price it acted on: its creation or last change (re-arming
    /// included), or its last firing. Catch-up data not newer than this is not a new crossing for it.
    public var evaluatedThrough: Date { max(updatedAt, lastFiredAt ?? updatedAt) }

    /// True when the alert has expired by `time` (`expires_at` ≤ `time`).
    public func isExpired(at time: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt <= time
    }

    /// The absolute trigger prices of a level alert: the price at or above which the up condition holds,
    /// and at or below which the down condition holds. `percent_change` needs the previous close
    /// (nil without one, or when it is not positive). `price_cross` has neither (its level is the threshold).
    public func triggerLevels(previousClose: Decimal?) -> (up: Decimal?, down: Decimal?) {
        switch type {
        case .priceAbove: return (threshold, nil)
        case .priceBelow: return (nil, threshold)
        case .priceCross: return (nil, nil)
        case .percentChange:
            guard let close = previousClose, close > 0 else { return (nil, nil) }
            let direction = direction ?? .either
            let up = direction == .down ? nil : close * (100 + threshold) / 100
            let down = direction == .up ? nil : close * (100 - threshold) / 100
            return (up, down)
        }
    }
}
