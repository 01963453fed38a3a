import Foundation

// The risk state machine: a pure value, persisted as JSON so it survives restarts. Rules:
//
// - Modes: `active` (all orders), `reducing` (only orders that shrink an existing position
//   without reversing it), `halted` (no new orders at all; cancels are not orders and stay allowed).
// - Episodes: a breach of a limit (`RiskLimits.breaches`) that has no open episode under its key
//   (kind, plus the symbol for position size) starts one; each new episode is exactly one risk
//   alert firing. It stays open, with no repeat, until `RiskLimits.isCleared` (the value back
//   inside 90 % of the limit, the position gone, or the limit removed). A later breach is a new
//   episode. Episode ids are `<trading day>-<kind>[-<symbol>]-<counter>`; the counter never resets.
// - A new daily-loss episode → `halted` with the breach message as the reason. That halt lasts
//   for the rest of the trading day even if P&L recovers: only `resume` or a new trading day ends
//   it. `resume` is refused while a daily-loss episode of the same trading day is still open.
// - Open open-risk, position-size or open-positions episodes → `reducing` (reason: their messages),
//   back to `active` by itself once none is open; a halt takes precedence over reducing.
// - `halt` (the manual kill switch) → `halted` with `manualHalt`; it survives new trading days
//   and ends only with `resume`. `resume` clears both kinds of halt and goes to `reducing` if
//   reducing episodes are open, else `active`.
// - New trading day (`MarketCalendar.tradingDay(at: now)` differs from `tradingDay`: the trading
//   day a moment counts towards rolls when the day's last session ends at 20:00 New York time, 17:00
//   after an early close, and a Saturday, Sunday or holiday belongs to the next trading day, so a
//   weekend never rolls the day by itself; docs/operations.md, "Risk and the trading day"):
//   daily-loss episodes end, a daily-loss halt ends (a manual halt does not), and
//   `dayStartEquity` becomes the snapshot's equity. Other episodes carry on and are re-checked.
//   A state without `dayStartEquity` adopts the snapshot's day-start base (equity − day P&L).
// - `since` is when the mode last changed; the reason only changes with the mode, except that
//   the reducing reason follows the set of open episodes.

/// What the risk state lets through.
public enum RiskMode: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case reducing
    case halted
}

/// Why `RiskState.resume` was refused.
public struct RiskResumeRefusal: Error, Sendable, Hashable {
    /// Stable code: `daily_loss_open`.
    public var code: String
    public var reason: String
}

/// What one `RiskState.evaluate` changed.
public struct RiskTransition: Sendable {
    /// Episodes that started now, each with the breach that started it: one risk alert firing each.
    public var newEpisodes: [(episode: RiskState.Episode, breach: RiskBreach)]
    /// Episodes that ended now (cleared, or daily-loss episodes at a new trading day).
    public var endedEpisodes: [RiskState.Episode]
    public var modeChanged: Bool
    public var previousMode: RiskMode
    public var mode: RiskMode
    /// True when this evaluation started a new trading day.
    public var dayRolled: Bool
}

/// The persisted risk state; see the rules at the top of this file.
public struct RiskState: Codable, Hashable, Sendable {
    /// One continuous breach of one limit.
    public struct Episode: Codable, Hashable, Sendable {
        /// e.g. `2026-11-26-daily_loss-1`, `2026-11-26-position_size-AAPL-2`.
        public var id: String
        public var kind: RiskLimitKind
        public var symbol: Symbol?
        public var startedAt: Date
        /// Value and limit when the episode started (see `RiskBreach`).
        public var value: Decimal
        public var limit: Decimal
        public var message: String

        /// The key of `openEpisodes` for this episode.
        public var key: String { RiskState.episodeKey(kind, symbol) }

        enum CodingKeys: String, CodingKey {
            case id, kind, symbol
            case startedAt = "started_at"
            case value, limit, message
        }
    }

    public var mode: RiskMode
    /// Why the mode is what it is: the halt note or breach message(s); when active, nil or the
    /// note of the last `resume`.
    public var reason: String?
    /// When the mode last changed.
    public var since: Date
    /// The trading day (`yyyy-MM-dd`, New York) the state counts towards (`MarketCalendar.tradingDay(at:)`).
    public var tradingDay: String
    /// True after `halt` until `resume`.
    public var manualHalt: Bool
    /// Open episodes by `episodeKey`.
    public var openEpisodes: [String: Episode]
    public var dayStartEquity: Decimal?
    /// Episodes started so far (never reset).
    public var episodeCounter: Int

    /// A fresh, active state for the trading day of `now`.
    public init(now: Date, dayStartEquity: Decimal? = nil, calendar: MarketCalendar = MarketCalendar()) {
        mode = .active
        since = now
        tradingDay = Self.tradingDay(of: now, calendar: calendar)
        manualHalt = false
        openEpisodes = [:]
        self.dayStartEquity = dayStartEquity
        episodeCounter = 0
    }

    /// The trading day `date` counts towards, `yyyy-MM-dd`: the New York date while that date trades
    /// (until its after-hours session ends), else the next trading day.
    public static func tradingDay(of date: Date, calendar: MarketCalendar = MarketCalendar()) -> String {
        calendar.tradingDay(at: date)
    }

    /// `kind` or `kind:SYMBOL`.
    public static func episodeKey(_ kind: RiskLimitKind, _ symbol: Symbol?) -> String {
        symbol.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue
    }

    /// Kinds whose open episodes put the state in `reducing`.
    static let reducingKinds: Set<RiskLimitKind> = [.openRisk, .positionSize, .openPositions]

    /// Applies one snapshot: rolls the trading day, ends cleared episodes, starts episodes for new
    /// breaches and sets the mode.
    public mutating func evaluate(
        _ snapshot: RiskSnapshot, settings: RiskSettings, now: Date, calendar: MarketCalendar = MarketCalendar()
    ) -> RiskTransition {
        let before = mode
        var ended: [Episode] = []
        let today = Self.tradingDay(of: now, calendar: calendar)
        let rolled = today != tradingDay
        let dayHalt = !rolled && mode == .halted && !manualHalt
        if rolled {
            tradingDay = today
            for key in openEpisodes.keys.sorted() {
                guard let episode = openEpisodes[key], episode.kind == .dailyLoss else { continue }
                openEpisodes[key] = nil
                ended.append(episode)
            }
            dayStartEquity = snapshot.equity
        }
        if dayStartEquity == nil { dayStartEquity = snapshot.dayStartEquity }
        var snapshot = snapshot
        if let base = dayStartEquity, base != snapshot.dayStartEquity { snapshot = snapshot.rebased(dayStartEquity: base) }

        for key in openEpisodes.keys.sorted() {
            guard let episode = openEpisodes[key],
                  RiskLimits.isCleared(episode.kind, symbol: episode.symbol, snapshot: snapshot, settings: settings)
            else { continue }
            openEpisodes[key] = nil
            ended.append(episode)
        }
        var fresh: [(episode: Episode, breach: RiskBreach)] = []
        for breach in RiskLimits.breaches(snapshot, settings: settings) {
            let key = Self.episodeKey(breach.kind, breach.symbol)
            guard openEpisodes[key] == nil else { continue }
            episodeCounter += 1
            let episode = Episode(
                id: "\(tradingDay)-\(breach.kind.rawValue)\(breach.symbol.map { "-\($0)" } ?? "")-\(episodeCounter)",
                kind: breach.kind, symbol: breach.symbol, startedAt: now, value: breach.value, limit: breach.limit,
                message: breach.message)
            openEpisodes[key] = episode
            fresh.append((episode, breach))
        }

        if manualHalt {
            setMode(.halted, reason: reason, now: now)
        } else if let loss = fresh.first(where: { $0.episode.kind == .dailyLoss }) {
            setMode(.halted, reason: loss.breach.message, now: now)
        } else if dayHalt {
            setMode(.halted, reason: reason, now: now)
        } else {
            settleAfterHalt(now: now, activeReason: nil)
        }
        return RiskTransition(
            newEpisodes: fresh, endedEpisodes: ended, modeChanged: mode != before, previousMode: before, mode: mode,
            dayRolled: rolled)
    }

    /// The manual kill switch: halts until `resume`, across trading days. Returns true when the
    /// mode changed.
    @discardableResult
    public mutating func halt(reason: String, now: Date) -> Bool {
        let before = mode
        manualHalt = true
        mode = .halted
        self.reason = reason
        if before != .halted { since = now }
        return before != .halted
    }

    /// Ends a manual or daily-loss halt: the mode becomes `reducing` if reducing episodes are open,
    /// else `active`. Refused while a daily-loss episode of this trading day is open. Returns true
    /// when the mode changed.
    @discardableResult
    public mutating func resume(
        reason: String, now: Date, calendar: MarketCalendar = MarketCalendar()
    ) throws(RiskResumeRefusal) -> Bool {
        if Self.tradingDay(of: now, calendar: calendar) == tradingDay,
           let loss = openEpisodes.values.first(where: { $0.kind == .dailyLoss }) {
            let clear = RiskLimits.money(-loss.limit * RiskLimits.clearFraction)
            throw RiskResumeRefusal(
                code: "daily_loss_open",
                reason: "The daily loss limit is still breached (\(loss.message)); trading can resume once "
                    + "day P&L is back above \(clear), or on the next trading day")
        }
        let before = mode
        manualHalt = false
        if mode == .halted { settleAfterHalt(now: now, activeReason: "Resumed: \(reason)") }
        return mode != before
    }

    /// Decides whether `request` may be sent in the current mode. `position` is the held position
    /// in the request's symbol, if any. Codes: `ok`, `risk_halted`, `risk_reducing_only`.
    public func allows(_ request: OrderRequest, position: BrokerPosition?) -> (allowed: Bool, code: String, reason: String) {
        let why = reason.map { " (\($0))" } ?? ""
        switch mode {
        case .active:
            return (true, "ok", "Risk limits allow new orders")
        case .halted:
            return (false, "risk_halted", "Trading is halted\(why): no new orders until it is resumed; cancels are allowed")
        case .reducing:
            if let position, position.symbol == request.symbol, position.quantity != 0, request.quantity > 0,
               !request.action.opens, request.action.sign == -position.side.sign,
               request.quantity <= abs(position.quantity) {
                return (true, "ok", "Reduces the \(position.side.rawValue) position in \(position.symbol)")
            }
            return (false, "risk_reducing_only",
                "Risk limits are breached\(why): only orders that reduce an existing position without reversing it are allowed")
        }
    }

    /// After a halt ends (or when not halted): `reducing` while reducing episodes are open, else `active`.
    private mutating func settleAfterHalt(now: Date, activeReason: String?) {
        let reducing = openEpisodes.keys.sorted().compactMap { key -> String? in
            guard let episode = openEpisodes[key], Self.reducingKinds.contains(episode.kind) else { return nil }
            return episode.message
        }
        if reducing.isEmpty {
            setMode(.active, reason: activeReason, now: now)
        } else {
            setMode(.reducing, reason: reducing.joined(separator: "; "), now: now)
        }
    }

    /// Sets the mode; `since` and the reason change only with the mode, except in `reducing`.
    private mutating func setMode(_ new: RiskMode, reason newReason: String?, now: Date) {
        if mode != new {
            mode = new
            since = now
            reason = newReason
        } else if new == .reducing {
            reason = newReason
        }
    }

    enum CodingKeys: String, CodingKey {
        case mode, reason, since
        case tradingDay = "trading_day"
        case manualHalt = "manual_halt"
        case openEpisodes = "open_episodes"
        case dayStartEquity = "day_start_equity"
        case episodeCounter = "episode_counter"
    }
}
