import Foundation
import TradingDomain

/// The naive evaluator the property test compares `AlertBook` with: it scans every alert on every
/// tick and decides from `docs/alerts.md` directly, with its own arithmetic (percent moves as
/// (p − close) × 100 ≥ threshold × close, never through the book's levels or integer keys).
struct ReferenceAlertBook {
    var rules: [UUID: AlertRule] = [:]
    var previousCloses: [Symbol: Decimal] = [:]

    mutating func add(_ rule: AlertRule) {
        rules[rule.id] = nil
        guard rule.status == .active else { return }
        var rule = rule
        if rule.type.isLevel && !Self.hasLeg(rule, rule.lastSide) { rule.lastSide = .unknown }
        rules[rule.id] = rule
    }

    mutating func remove(id: UUID) { rules[id] = nil }

    mutating func setPreviousClose(_ symbol: Symbol, _ price: Decimal?) {
        previousCloses[symbol] = price.flatMap { $0 > 0 ? $0 : nil }
    }

    mutating func expire(now: Date) -> [AlertRule] {
        var expired: [AlertRule] = []
        for (id, rule) in rules {
            guard let expiresAt = rule.expiresAt, expiresAt <= now else { continue }
            var done = rule
            done.status = .expired
            done.updatedAt = now
            expired.append(done)
            rules[id] = nil
        }
        return expired
    }

    mutating func evaluate(symbol: Symbol, price: Decimal, time: Date, source: FiringSource) -> AlertEvaluation {
        var result = AlertEvaluation(expired: expire(now: time))
        guard price > 0 else { return result }
        for id in rules.keys where rules[id]!.symbol == symbol {
            var rule = rules[id]!
            let before = rule.lastSide
            let firing = rule.type == .priceCross
                ? cross(&rule, price: price, time: time, source: source)
                : level(&rule, price: price, time: time, source: source)
            if let firing {
                result.firings.append(firing)
            } else if rule.lastSide != before {
                result.changed.append(rule)
            }
            rules[id] = rule.status == .active ? rule : nil
        }
        return result
    }

    /// Evaluates the documented catch-up path of a snapshot.
    mutating func evaluate(
        snapshot: MarketSnapshot, time: Date, source: FiringSource, knownHigh: Decimal?, knownLow: Decimal?
    ) -> AlertEvaluation {
        if let close = snapshot.previousClose { setPreviousClose(snapshot.symbol, close) }
        var path: [Decimal] = []
        var final = snapshot.last
        if final == nil, let bid = snapshot.bid, let ask = snapshot.ask, bid > 0, ask > 0 {
            final = ((bid + ask) / 2).rounded(scale: 4)
        }
        let high = snapshot.dayHigh.flatMap { knownHigh == nil || $0 > knownHigh! ? $0 : nil }
        let low = snapshot.dayLow.flatMap { knownLow == nil || $0 < knownLow! ? $0 : nil }
        if let high, let low, let final, high - final > final - low { path = [high, low] } else { path = [low, high].compactMap { $0 } }
        if let final { path.append(final) }
        path = path.filter { $0 > 0 }
        var result = AlertEvaluation()
        for price in path {
            result.append(evaluate(symbol: snapshot.symbol, price: price, time: time, source: source))
        }
        if path.isEmpty { result.expired = expire(now: time) }
        return result
    }

    // MARK: the rules, one alert at a time

    private func cooled(_ rule: AlertRule, _ time: Date) -> Bool {
        guard rule.mode == .repeat, let last = rule.lastFiredAt, let seconds = rule.cooldownSeconds else { return true }
        return time >= last.addingTimeInterval(TimeInterval(seconds))
    }

    private func cross(_ rule: inout AlertRule, price: Decimal, time: Date, source: FiringSource) -> AlertFiring? {
        let side: AlertSide = price > rule.threshold ? .above : price < rule.threshold ? .below : rule.lastSide
        guard side != rule.lastSide else { return nil }
        let previous = rule.lastSide
        rule.lastSide = side
        guard previous != .unknown, cooled(rule, time) else { return nil }
        return fire(&rule, level: rule.threshold, side: side, price: price, time: time, source: source)
    }

    /// (up condition holds, down condition holds), or nil while a percent alert has no previous close.
    private func conditions(_ rule: AlertRule, _ price: Decimal) -> (up: Bool, down: Bool)? {
        switch rule.type {
        case .priceAbove: return (price >= rule.threshold, false)
        case .priceBelow: return (false, price <= rule.threshold)
        case .priceCross: return nil
        case .percentChange:
            guard let close = previousCloses[rule.symbol] else { return nil }
            let direction = rule.direction ?? .either
            let up = direction != .down && (price - close) * 100 >= rule.threshold * close
            let down = direction != .up && (close - price) * 100 >= rule.threshold * close
            return (up, down)
        }
    }

    private func level(_ rule: inout AlertRule, price: Decimal, time: Date, source: FiringSource) -> AlertFiring? {
        guard let holds = conditions(rule, price) else { return nil }
        if rule.lastSide == .above && !holds.up { rule.lastSide = .unknown }
        if rule.lastSide == .below && !holds.down { rule.lastSide = .unknown }
        guard rule.lastSide == .unknown, cooled(rule, time), holds.up || holds.down else { return nil }
        let side: AlertSide = holds.up ? .above : .below
        let levels = rule.triggerLevels(previousClose: previousCloses[rule.symbol])
        rule.lastSide = side
        return fire(&rule, level: (side == .above ? levels.up : levels.down)!, side: side, price: price, time: time, source: source)
    }

    private func fire(
        _ rule: inout AlertRule, level: Decimal, side: AlertSide, price: Decimal, time: Date, source: FiringSource
    ) -> AlertFiring {
        rule.fireCount += 1
        rule.lastFiredAt = time
        if rule.mode == .once {
            rule.status = .triggered
            rule.updatedAt = time
        }
        return AlertFiring(
            alertID: rule.id, sequence: rule.fireCount, symbol: rule.symbol, type: rule.type, threshold: rule.threshold,
            level: level, side: side, price: price, time: time, source: source, rule: rule)
    }

    static func hasLeg(_ rule: AlertRule, _ side: AlertSide) -> Bool {
        switch (rule.type, side, rule.direction ?? .either) {
        case (_, .unknown, _): true
        case (.priceAbove, .above, _), (.priceBelow, .below, _): true
        case (.percentChange, .above, let direction): direction != .down
        case (.percentChange, .below, let direction): direction != .up
        default: false
        }
    }
}
