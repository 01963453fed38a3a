import Foundation

/// Where the price that fired an alert came from.
public enum FiringSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// A tick from the streaming feed.
    case stream
    /// The fallback poller's batched snapshot while the stream is down or stale.
    case poll
    /// A snapshot evaluated at start or after a gap (the day's high/low reveal crossings missed meanwhile).
    case catchUp = "catch_up"
    /// A one-off snapshot (a symbol just added, an alert armed on a price that came from one).
    case snapshot

    /// Where a cached quote's price came from, by the cache's source label: the feed's provider
    /// name for streamed prices, else `poll`, `catch_up` or `snapshot`.
    public init(quoteSource: String) {
        switch quoteSource {
        case "poll": self = .poll
        case "catch_up": self = .catchUp
        case "snapshot": self = .snapshot
        default: self = .stream
        }
    }
}

/// One firing of one alert: stored once as an alert trigger, in the same transaction that stores
/// `rule` (the alert's state after the firing).
public struct AlertFiring: Sendable, Hashable {
    public var alertID: UUID
    /// The alert's n-th firing (= `rule.fireCount`). `(alertID, sequence)` is unique, so a firing that is
    /// replayed after a crash (same state in, same firing out) can be stored at most once.
    public var sequence: Int
    public var symbol: Symbol
    public var type: AlertType
    /// The rule's threshold (a percent for `percent_change`).
    public var threshold: Decimal
    /// The absolute price that was met or crossed (the threshold, or for `percent_change` the level
    /// computed from the previous close).
    public var level: Decimal
    /// Which way: `above` when the price rose to/through the level, `below` when it fell.
    public var side: AlertSide
    /// The price that fired it.
    public var price: Decimal
    public var time: Date
    public var source: FiringSource
    /// The alert after this firing: `triggered` for `once`; `active` with `lastFiredAt`, `fireCount` and
    /// `lastSide` updated for `repeat`.
    public var rule: AlertRule

    public init(
        alertID: UUID, sequence: Int, symbol: Symbol, type: AlertType, threshold: Decimal, level: Decimal,
        side: AlertSide, price: Decimal, time: Date, source: FiringSource, rule: AlertRule
    ) {
        self.alertID = alertID
        self.sequence = sequence
        self.symbol = symbol
        self.type = type
        self.threshold = threshold
        self.level = level
        self.side = side
        self.price = price
        self.time = time
        self.source = source
        self.rule = rule
    }
}

/// What one evaluation changed. Persist in this order: `expired`, then each firing (trigger row +
/// `firing.rule` in one transaction), then `changed`.
public struct AlertEvaluation: Sendable, Hashable {
    /// Firings, in the order they happened.
    public var firings: [AlertFiring]
    /// Alerts whose persisted state (`lastSide`) changed without a firing: a crossing during a cooldown,
    /// a first observation of a `price_cross`, a level alert whose price left the condition. Only the
    /// newest state per alert is listed, and never one already carried by a firing of this evaluation.
    /// Persisting them (batched is fine) keeps a restart from losing a crossing.
    public var changed: [AlertRule]
    /// Alerts that reached `expires_at` (status `expired`); they left the book.
    public var expired: [AlertRule]

    public init(firings: [AlertFiring] = [], changed: [AlertRule] = [], expired: [AlertRule] = []) {
        self.firings = firings
        self.changed = changed
        self.expired = expired
    }

    public var isEmpty: Bool { firings.isEmpty && changed.isEmpty && expired.isEmpty }

    /// Appends a later evaluation: its firings and expiries follow ours, and `changed` keeps only the
    /// newest state of each alert that no later firing supersedes.
    public mutating func append(_ later: AlertEvaluation) {
        guard !later.isEmpty else { return }
        // The common case on the tick path (one tick per batch): nothing to merge, no set built.
        if isEmpty {
            self = later
            return
        }
        if !changed.isEmpty {
            let superseded = Set(later.firings.map(\.alertID)).union(later.changed.map(\.id))
                .union(later.expired.map(\.id))
            changed.removeAll { superseded.contains($0.id) }
        }
        changed.append(contentsOf: later.changed)
        firings.append(contentsOf: later.firings)
        expired.append(contentsOf: later.expired)
    }
}
