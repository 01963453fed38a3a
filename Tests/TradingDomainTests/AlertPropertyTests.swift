import Foundation
import PropertyBased
import Testing
import TradingDomain

/// Random alert sets and random price paths: the indexed `AlertBook` must produce exactly what the
/// naive `ReferenceAlertBook` produces — the same firings (with the same new rule state), the same
/// side changes and expiries, step by step, and the same alerts at the end.
@Suite("Alerts: indexed book equals the naive evaluator")
struct AlertPropertyTests {
    /// (type, threshold, mode, symbol, expiry, direction, side, fired) — each an index into the choices of `AlertScenario`.
    typealias Spec = (Int, Int, Int, Int, Int, Int, Int, Int)
    /// (kind, symbol, price, seconds later, extra choice).
    typealias Step = (Int, Int, Int, Int, Int)

    static var specs: Generator<[Spec], some SendableSequenceType> {
        zip(Gen.int(in: 0...3), Gen.int(in: 0...12), Gen.int(in: 0...3), Gen.int(in: 0...1),
            Gen.int(in: 0...3), Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 0...2)).array(of: 1...24)
    }

    static var steps: Generator<[Step], some SendableSequenceType> {
        zip(Gen.int(in: 0...11), Gen.int(in: 0...1), Gen.int(in: 0...16), Gen.int(in: 0...30), Gen.int(in: 0...20))
            .array(of: 1...80)
    }

    @Test func indexedBookFiresExactlyLikeTheNaiveEvaluator() async {
        await propertyCheck(count: 400, input: Self.specs, Self.steps) { specs, steps in
            Self.check(specs, steps)
        }
    }

    @Test("the random scenarios exercise every type, catch-up and repeat firings")
    func scenariosAreNotVacuous() {
        var generator = SplitMix(seed: 42)
        var total = AlertScenario.Stats()
        for _ in 0..<300 {
            let specs = (0..<16).map { _ in
                (generator.next(4), generator.next(13), generator.next(4), generator.next(2),
                 generator.next(4), generator.next(3), generator.next(3), generator.next(3))
            }
            let steps = (0..<60).map { _ in
                (generator.next(12), generator.next(2), generator.next(17), generator.next(31), generator.next(21))
            }
            total.add(Self.check(specs, steps))
        }
        for type in AlertType.allCases { #expect(total.firingsByType[type, default: 0] >= 50, "\(type)") }
        #expect(total.catchUpFirings >= 20)
        #expect(total.repeatFirings >= 50)
        #expect(total.changed >= 100)
        #expect(total.expired >= 20)
    }

    @discardableResult
    static func check(_ specs: [Spec], _ steps: [Step]) -> AlertScenario.Stats {
        var scenario = AlertScenario(specs: specs)
        for (number, step) in steps.enumerated() {
            let (book, reference) = scenario.run(step)
            guard AlertScenario.normalized(book) == AlertScenario.normalized(reference) else {
                Issue.record(
                    "step \(number) \(step): book \(AlertScenario.describe(book)) ≠ reference \(AlertScenario.describe(reference))")
                return scenario.stats
            }
            guard scenario.storeMatchesBook else {
                Issue.record("step \(number) \(step): what was persisted differs from the book's state")
                return scenario.stats
            }
            scenario.stats.count(book)
        }
        let bookRules = scenario.book.rules.sorted { $0.id.uuidString < $1.id.uuidString }
        let referenceRules = scenario.reference.rules.values.sorted { $0.id.uuidString < $1.id.uuidString }
        #expect(bookRules == referenceRules)
        if scenario.book.armedCount == 0 { #expect(scenario.book.indexEntryCount == 0) }
        return scenario.stats
    }
}

/// A small deterministic generator for the non-property sanity test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
