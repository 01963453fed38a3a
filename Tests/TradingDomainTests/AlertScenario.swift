import APIInput
import Foundation
import TradingDomain

/// One random scenario of the property test: the same alerts in an `AlertBook` and in the naive
/// `ReferenceAlertBook`, driven by the same steps. `store` plays the database: it keeps what a caller
/// persists from each evaluation (firings, changed, expired) and is where edits start from.
struct AlertScenario {
    typealias Spec = AlertPropertyTests.Spec
    typealias Step = AlertPropertyTests.Step

    struct Stats {
        var firingsByType: [AlertType: Int] = [:]
        var catchUpFirings = 0
        var repeatFirings = 0
        var changed = 0
        var expired = 0

        mutating func count(_ evaluation: AlertEvaluation) {
            for firing in evaluation.firings {
                firingsByType[firing.type, default: 0] += 1
                if firing.source == .catchUp { catchUpFirings += 1 }
                if firing.rule.mode == .repeat { repeatFirings += 1 }
            }
            changed += evaluation.changed.count
            expired += evaluation.expired.count
        }

        mutating func add(_ other: Stats) {
            firingsByType.merge(other.firingsByType, uniquingKeysWith: +)
            catchUpFirings += other.catchUpFirings
            repeatFirings += other.repeatFirings
            changed += other.changed
            expired += other.expired
        }
    }

    static let symbols = [AlertFixtures.aapl, AlertFixtures.msft]
    static let closes: [Decimal?] = [nil, 100, Decimal(string: "99.37"), Decimal(string: "101.123457"), Decimal(string: "100.5")]

    var book = AlertBook()
    var reference = ReferenceAlertBook()
    var store: [UUID: AlertRule] = [:]
    var ids: [UUID] = []
    var time = AlertFixtures.start
    var stats = Stats()

    init(specs: [Spec]) {
        for (index, spec) in specs.enumerated() {
            let rule = Self.rule(index + 1, spec)
            book.add(rule)
            reference.add(rule)
            store[rule.id] = book.rule(id: rule.id) ?? rule
            ids.append(rule.id)
        }
    }

    static func rule(_ number: Int, _ spec: Spec) -> AlertRule {
        let (typeChoice, threshold, mode, symbol, expiry, direction, side, fired) = spec
        let type = [AlertType.priceAbove, .priceBelow, .priceCross, .percentChange][typeChoice]
        return AlertRule(
            id: AlertFixtures.id(number), symbol: symbols[symbol], type: type,
            threshold: type == .percentChange ? Decimal(threshold + 1) / 4 : 97 + Decimal(threshold) / 2,
            direction: [PercentDirection.up, .down, .either][direction],
            mode: mode < 2 ? .once : .repeat, cooldownSeconds: mode == 2 ? 10 : 60,
            expiresAt: expiry < 2 ? nil : AlertFixtures.at(expiry == 2 ? 120 : 600),
            createdAt: AlertFixtures.start, updatedAt: AlertFixtures.start,
            lastFiredAt: fired == 0 ? nil : AlertFixtures.at(fired == 1 ? -5 : -100), fireCount: fired,
            lastSide: [AlertSide.unknown, .above, .below][side])
    }

    /// 96 … 104 in halves; sometimes a nano-dollar more, so integer keys tie with inexact levels.
    static func price(_ index: Int, extra: Int) -> Decimal {
        let base = 96 + Decimal(index) / 2
        return extra % 5 == 4 ? base + Decimal(string: "0.000000001")! : base
    }

    /// Runs one step on both books and returns (book's result, reference's result).
    mutating func run(_ step: Step) -> (AlertEvaluation, AlertEvaluation) {
        let (kind, symbolChoice, priceChoice, seconds, extra) = step
        time = time.addingTimeInterval(TimeInterval(seconds))
        let symbol = Self.symbols[symbolChoice]
        let price = Self.price(priceChoice, extra: extra)
        var results = (AlertEvaluation(), AlertEvaluation())
        switch kind {
        case 0...6:
            results = (book.evaluate(symbol: symbol, price: price, time: time, source: .stream),
                       reference.evaluate(symbol: symbol, price: price, time: time, source: .stream))
        case 7:
            book.setPreviousClose(symbol, Self.closes[extra % Self.closes.count])
            reference.setPreviousClose(symbol, Self.closes[extra % Self.closes.count])
        case 8:
            results = (AlertEvaluation(expired: book.expire(now: time)), AlertEvaluation(expired: reference.expire(now: time)))
        case 9:
            results = snapshot(symbol: symbol, price: price, extra: extra)
        case 10:
            let id = ids[extra % ids.count]
            book.remove(id: id)
            reference.remove(id: id)
            store[id] = nil
        default:
            edit(ids[extra % ids.count], choice: priceChoice)
        }
        persist(results.0)
        return results
    }

    private mutating func snapshot(symbol: Symbol, price: Decimal, extra: Int) -> (AlertEvaluation, AlertEvaluation) {
        let snapshot = MarketSnapshot(
            symbol: symbol, last: price, dayHigh: price + Decimal(extra % 4) * Decimal(string: "0.75")!,
            dayLow: price - Decimal((extra / 4) % 4) * Decimal(string: "0.75")!,
            previousClose: extra % 3 == 0 ? 100 : nil, updated: time)
        let knownHigh: Decimal? = extra % 5 == 0 ? price + 1 : nil
        let source: FiringSource = extra % 2 == 0 ? .catchUp : .poll
        return (book.evaluate(snapshot: snapshot, time: time, source: source, knownHigh: knownHigh, knownLow: nil),
                reference.evaluate(snapshot: snapshot, time: time, source: source, knownHigh: knownHigh, knownLow: nil))
    }

    /// An edit through `AlertInput.update`, starting from the stored state (as the HTTP layer would).
    private mutating func edit(_ id: UUID, choice: Int) {
        guard let current = store[id] else { return }
        let patches = [
            current.type == .percentChange ? #"{"threshold":1.5}"# : #"{"threshold":100.5}"#,
            #"{"status":"active"}"#,
            #"{"status":"disabled"}"#,
            current.mode == .once ? #"{"mode":"repeat","cooldown_s":10}"# : #"{"mode":"once"}"#,
        ]
        guard let updated = try? AlertInput.update(current, patch: AlertFixtures.json(patches[choice % 4]), now: time) else {
            return
        }
        store[id] = updated
        book.update(updated)
        reference.add(updated)
    }

    private mutating func persist(_ evaluation: AlertEvaluation) {
        for rule in evaluation.expired { store[rule.id] = rule }
        for firing in evaluation.firings { store[firing.alertID] = firing.rule }
        for rule in evaluation.changed { store[rule.id] = rule }
    }

    /// True when every alert the book holds is exactly what the caller persisted.
    var storeMatchesBook: Bool {
        book.rules.allSatisfy { store[$0.id] == $0 }
    }

    static func normalized(_ evaluation: AlertEvaluation) -> AlertEvaluation {
        AlertEvaluation(
            firings: evaluation.firings.sorted { $0.alertID.uuidString < $1.alertID.uuidString },
            changed: evaluation.changed.sorted { $0.id.uuidString < $1.id.uuidString },
            expired: evaluation.expired.sorted { $0.id.uuidString < $1.id.uuidString })
    }

    static func describe(_ evaluation: AlertEvaluation) -> String {
        let firings = evaluation.firings.map { "\($0.alertID.uuidString.suffix(2)) \($0.side) @\($0.price) #\($0.sequence)" }
        let changed = evaluation.changed.map { "\($0.id.uuidString.suffix(2)) \($0.lastSide)" }
        return "fired \(firings) changed \(changed) expired \(evaluation.expired.map { $0.id.uuidString.suffix(2) })"
    }
}
