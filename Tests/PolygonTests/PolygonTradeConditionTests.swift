import Foundation
import Polygon
import Testing
import TradingDomain

/// The stock trade condition table (docs/vendors.md §1.7): one test per consolidated-tape rule,
/// then the parser wiring. `last` is Massive's `updates_open_close`.
@Suite("Polygon trade conditions")
struct PolygonTradeConditionTests {
    typealias C = PolygonTradeConditions
    static let volumeOnly = PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: true)
    static let rangeAndVolume = PrintRule(updatesLast: false, updatesHighLow: true, updatesVolume: true)

    @Test("odd lot (37): volume only — never last, never the day's range")
    func oddLot() {
        #expect(C.rule(forCondition: 37) == Self.volumeOnly)
        #expect(C.name(of: 37) == "Odd Lot Trade")
    }

    @Test("average price trade (2): volume only")
    func averagePrice() {
        #expect(C.rule(forCondition: 2) == Self.volumeOnly)
    }

    @Test("sold out of sequence (32, and with stopped stock 33): range and volume, not last")
    func outOfSequence() {
        #expect(C.rule(forCondition: 32) == Self.rangeAndVolume)
        #expect(C.rule(forCondition: 33) == Self.rangeAndVolume)
    }

    @Test("Form T / extended hours (12): last and volume (our extended-hours last), not the regular session's range")
    func formT() {
        let vendor = C.table.first { $0.id == C.formTExtendedHours }?.consolidated
        #expect(vendor == Self.volumeOnly, "the vendor's consolidated rule, kept verbatim in the table")
        #expect(C.rule(forCondition: 12) == PrintRule(updatesLast: true, updatesHighLow: false, updatesVolume: true))
    }

    @Test("extended hours sold out of sequence (13): volume only, even in extended hours")
    func extendedOutOfSequence() {
        #expect(C.rule(forCondition: 13) == Self.volumeOnly)
    }

    @Test("derivatively priced (10), prior reference price (22), bunched sold (5): range and volume, not last")
    func rangeButNotLast() {
        for id in [10, 22, 5] { #expect(C.rule(forCondition: id) == Self.rangeAndVolume, "condition \(id)") }
    }

    @Test("cash sale (7), next day (20), price variation (21), seller (29), contingent (52), QCT (53): volume only")
    func settlementAndContingent() {
        for id in [7, 20, 21, 29, 52, 53] { #expect(C.rule(forCondition: id) == Self.volumeOnly, "condition \(id)") }
    }

    @Test("market center official open (16) and close (15): a re-report, updates nothing")
    func officialOpenClose() {
        #expect(C.rule(forCondition: 15) == .none)
        #expect(C.rule(forCondition: 16) == .none)
    }

    @Test("corrected consolidated close (38): last and range, no volume (the shares were counted already)")
    func correctedClose() {
        #expect(C.rule(forCondition: 38) == PrintRule(updatesLast: true, updatesHighLow: true, updatesVolume: false))
    }

    @Test("regular-way conditions update everything: sweep, auction prints, sold last, trade-through exempt, indicators")
    func regularWay() {
        for id in [1, 3, 4, 6, 8, 9, 11, 14, 17, 18, 19, 23, 24, 25, 27, 28, 30, 31, 34, 35, 36, 41, 55, 60, 62] {
            #expect(C.rule(forCondition: id) == .regular, "condition \(id)")
        }
    }

    @Test("no conditions is a regular sale; an unknown id never hides a trade; several combine (every one must allow)")
    func combinations() {
        #expect(C.rule(for: []) == .regular)
        #expect(C.rule(forCondition: 999) == .regular)
        #expect(C.rule(forCondition: -1) == .regular)
        #expect(C.rule(for: [14, 41]) == .regular)
        #expect(C.rule(for: [14, 37, 41]) == Self.volumeOnly)
        #expect(C.rule(for: [12, 37]) == Self.volumeOnly, "an odd lot in extended hours stays volume only")
        #expect(C.rule(for: [12, 14]) == PrintRule(updatesLast: true, updatesHighLow: false, updatesVolume: true))
        #expect(C.rule(for: [32, 38]) == PrintRule(updatesLast: false, updatesHighLow: true, updatesVolume: false))
    }

    @Test("the first ten rows match the vendor's own published listing example (client-python mocks)")
    func vendorRows() {
        // (id, high/low, open/close, volume) as in the vendor's `/v3/reference/conditions` mock.
        let vendor: [(Int, Bool, Bool, Bool)] = [
            (1, true, true, true), (2, false, false, true), (3, true, true, true), (4, true, true, true),
            (5, true, false, true), (6, true, true, true), (7, false, false, true), (8, true, true, true),
            (9, true, true, true), (10, true, false, true),
        ]
        for (id, highLow, last, volume) in vendor {
            let row = C.table.first { $0.id == id }?.consolidated
            #expect(row == PrintRule(updatesLast: last, updatesHighLow: highLow, updatesVolume: volume), "condition \(id)")
        }
        #expect(Set(C.table.map(\.id)).count == C.table.count, "one row per id")
        for row in C.table where row.id != C.formTExtendedHours {
            #expect(C.rule(forCondition: row.id) == row.consolidated, "lookup equals the table for \(row.id)")
        }
    }

    @Test("the stream parser gives each trade its rule; option trades (OPRA ids) are not filtered")
    func parserWiring() {
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"T","sym":"AAPL","p":300.5,"s":7,"c":[37],"t":1780000000000},\
            {"ev":"T","sym":"AAPL","p":230.1,"s":100,"c":[14,41],"t":1780000000001},\
            {"ev":"T","sym":"AAPL","p":229.9,"s":100,"t":1780000000002},\
            {"ev":"T","sym":"AAPL","p":231,"s":100,"c":[12],"t":1780000000003},\
            {"ev":"T","sym":"O:AAPL261218C00250000","p":1.54,"s":1,"c":[37],"t":1780000000004},\
            {"ev":"T","sym":"AAPL","p":1,"s":1,"c":"x","t":1780000000005}]
            """)
        let trades = frame.events.compactMap { event -> Trade? in if case .trade(let trade) = event { trade } else { nil } }
        #expect(trades.map(\.rule) == [
            Self.volumeOnly, .regular, .regular,
            PrintRule(updatesLast: true, updatesHighLow: false, updatesVolume: true), .regular,
        ])
        #expect(trades[4].symbol == Symbol(trusted: "AAPL261218C00250000"))
        #expect(frame.malformed == 1, "a `c` that is not a list of ids is a malformed element, not a regular print")
    }
}
