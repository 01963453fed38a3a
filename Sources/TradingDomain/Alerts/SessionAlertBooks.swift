import Foundation

/// A snapshot to catch up on, with the day's extremes the caller had already evaluated
/// (`AlertBook.evaluate(snapshot:…)`).
public struct CatchUpInput: Sendable {
    public var snapshot: MarketSnapshot
    public var knownHigh: Decimal?
    public var knownLow: Decimal?

    public init(snapshot: MarketSnapshot, knownHigh: Decimal? = nil, knownLow: Decimal? = nil) {
        self.snapshot = snapshot
        self.knownHigh = knownHigh
        self.knownLow = knownLow
    }
}

/// The alerts held in two indexed books by which prints they see (`AlertRule.sessions`,
/// docs/alerts.md, "Sessions"): `extended` alerts see every print as it arrives, `regular` alerts
/// only prints of the regular session. Each book keeps its O(log n + k) evaluation; a print outside
/// the regular session never reaches the regular book.
///
/// Catch-up (a snapshot at start, for a new symbol, after a gap, or from the poller) fires only on
/// data that is new: a snapshot whose data (`last_time`, else `updated`) belongs to an earlier
/// trading day than now is the last session's — Friday's prices on a weekend or Monday morning —
/// and fires nothing; and an alert ignores a snapshot whose data is not newer than its own
/// `evaluatedThrough` (created, changed or re-armed, or fired, since). Regular alerts catch up only
/// on a final price from the regular session, never on the day's high or low (a provider's day
/// range includes extended-hours prints).
public struct SessionAlertBooks: Sendable {
    var extended = AlertBook()
    var regular = AlertBook()

    public init() {}

    public var armedCount: Int { extended.armedCount + regular.armedCount }

    public func rule(id: UUID) -> AlertRule? { extended.rule(id: id) ?? regular.rule(id: id) }

    public var rules: [AlertRule] { extended.rules + regular.rules }

    /// Symbols with at least one active alert in either book, sorted.
    public var symbolsWithAlerts: [Symbol] {
        Array(Set(extended.symbolsWithAlerts).union(regular.symbolsWithAlerts)).sorted()
    }

    /// True when any regular-session alert is held.
    public var hasRegularAlerts: Bool { regular.armedCount > 0 }

    /// True when a regular-session alert watches `symbol` (only then does a print's session matter).
    public func hasRegularAlerts(_ symbol: Symbol) -> Bool {
        guard regular.armedCount > 0, let index = regular.symbolIndex[symbol] else { return false }
        return regular.symbols[index].memberCount > 0
    }

    public func previousClose(_ symbol: Symbol) -> Decimal? {
        extended.previousClose(symbol) ?? regular.previousClose(symbol)
    }

    // MARK: changing the set of alerts

    /// Holds `rule` in the book of its `sessions` (replacing any alert with the same id).
    public mutating func add(_ rule: AlertRule) {
        remove(id: rule.id)
        if rule.sessions == .regular { regular.add(rule) } else { extended.add(rule) }
    }

    @discardableResult
    public mutating func remove(id: UUID) -> AlertRule? {
        extended.remove(id: id) ?? regular.remove(id: id)
    }

    public mutating func setPreviousClose(_ symbol: Symbol, _ price: Decimal?) {
        extended.setPreviousClose(symbol, price)
        regular.setPreviousClose(symbol, price)
    }

    public mutating func expire(now: Date) -> [AlertRule] {
        extended.expire(now: now) + regular.expire(now: now)
    }

    // MARK: evaluation

    /// One print of `symbol` at `time` (the engine's clock), made in `session` (by the print's own
    /// time): every extended alert sees it, regular alerts only when `session` is `regular`.
    public mutating func evaluate(
        symbol: Symbol, price: Decimal, time: Date, source: FiringSource, session: MarketSession
    ) -> AlertEvaluation {
        evaluate(symbol: symbol, point: PricePoint(price), time: time, source: source, session: session)
    }

    /// The same for a price already in index form (a tick's `FixedPrice`, docs/performance.md).
    public mutating func evaluate(
        symbol: Symbol, point: PricePoint, time: Date, source: FiringSource, session: MarketSession
    ) -> AlertEvaluation {
        var result = extended.evaluate(symbol: symbol, point: point, time: time, source: source)
        if session == .regular {
            result.append(regular.evaluate(symbol: symbol, point: point, time: time, source: source))
        }
        return result
    }

    /// Catches up on snapshots (see the type's rules). `time` is the engine's clock.
    public mutating func catchUp(
        _ inputs: [CatchUpInput], time: Date, source: FiringSource, calendar: MarketCalendar
    ) -> AlertEvaluation {
        var result = AlertEvaluation()
        let today = calendar.tradingDay(at: time)
        var fresh: [(input: CatchUpInput, dataTime: Date)] = []
        for input in inputs {
            if let close = input.snapshot.previousClose { setPreviousClose(input.snapshot.symbol, close) }
            let dataTime = input.snapshot.lastTime ?? input.snapshot.updated
            // The last session's data (Friday's on a weekend or on Monday morning) is not new.
            guard calendar.tradingDay(at: dataTime) == today else { continue }
            fresh.append((input, dataTime))
        }
        guard !fresh.isEmpty else { return AlertEvaluation(expired: expire(now: time)) }
        let dataTimes = Dictionary(fresh.map { ($0.input.snapshot.symbol, $0.dataTime) }, uniquingKeysWith: { first, _ in first })
        result.append(Self.catchUp(&extended, fresh.map(\.input), dataTimes: dataTimes, time: time, source: source) { input in
            AlertBook.catchUpPath(input.snapshot, knownHigh: input.knownHigh, knownLow: input.knownLow)
        })
        let regularInputs = fresh.filter { calendar.session(at: $0.dataTime) == .regular }.map(\.input)
        if regular.armedCount > 0, !regularInputs.isEmpty {
            result.append(Self.catchUp(&regular, regularInputs, dataTimes: dataTimes, time: time, source: source) { input in
                Array(AlertBook.catchUpPath(input.snapshot, knownHigh: nil, knownLow: nil).suffix(1))
            })
        }
        return result
    }

    /// Evaluates `paths` of the snapshots in one book, leaving out, for each snapshot, the alerts
    /// whose `evaluatedThrough` is not older than its data (taken out, then put back unchanged).
    static func catchUp(
        _ book: inout AlertBook, _ inputs: [CatchUpInput], dataTimes: [Symbol: Date], time: Date, source: FiringSource,
        path: (CatchUpInput) -> [Decimal]
    ) -> AlertEvaluation {
        guard book.armedCount > 0 else { return AlertEvaluation(expired: book.expire(now: time)) }
        let asideIDs = book.ids { rule in dataTimes[rule.symbol].map { rule.evaluatedThrough >= $0 } ?? false }
        let aside = asideIDs.compactMap { book.remove(id: $0) }
        var result = AlertEvaluation(expired: book.expire(now: time))
        for input in inputs {
            for price in path(input) {
                result.append(book.evaluate(symbol: input.snapshot.symbol, price: price, time: time, source: source))
            }
        }
        for rule in aside {
            // An alert set aside may have expired meanwhile: it leaves the book like the others.
            if rule.isExpired(at: time) {
                var expired = rule
                expired.status = .expired
                expired.updatedAt = time
                result.append(AlertEvaluation(expired: [expired]))
            } else {
                book.add(rule)
            }
        }
        return result
    }
}

extension AlertBook {
    /// Ids of the alerts held that satisfy `predicate` (one pass over the alerts; for catch-up).
    func ids(where predicate: (AlertRule) -> Bool) -> [UUID] {
        slotList.compactMap { predicate($0.rule) ? $0.rule.id : nil }
    }
}
