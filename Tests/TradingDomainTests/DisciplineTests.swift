import Foundation
import Testing
import TradingDomain

@Suite("Discipline flags")
struct DisciplineTests {
    /// Monday 2026-03-02 10:00 New York.
    static let ten = Date(timeIntervalSince1970: 1_772_463_600)

    static func entry(
        _ minute: Int, held: Int = 10, entry: Decimal = 100, exit: Decimal, quantity: Decimal = 10, stop: Decimal?, plan: UUID? = nil
    ) -> JournalEntry {
        let opened = ten.addingTimeInterval(TimeInterval(minute * 60))
        return JournalEntry(
            id: UUID(), symbol: Symbol(trusted: "AAPL"), assetClass: .equity, side: .long, entryPrice: entry, exitPrice: exit,
            quantity: quantity, stop: stop, targets: [], fees: 0, tags: [], notes: "", openedAt: opened,
            closedAt: opened.addingTimeInterval(TimeInterval(held * 60)), source: .manual, planID: plan, createdAt: opened, updatedAt: opened)
    }

    @Test("after two losses, oversize, no stop and a stop moved away are flagged, with the record without each")
    func flags() throws {
        let planID = UUID()
        let plan = TradePlan(symbol: Symbol(trusted: "AAPL"), side: .long, entry: 100, stop: 98, targets: [104])
        let first = Self.entry(0, exit: 99, stop: Decimal(string: "99.5")!)             // −10, −2R
        let second = Self.entry(20, exit: Decimal(string: "99.5")!, stop: 99)             // −5, −0.5R
        let third = Self.entry(40, exit: 102, quantity: 100, stop: 99)                   // +200, risk 100 > 50: after 2 losses, oversize
        let fourth = Self.entry(60, exit: 101, stop: nil)                                 // +10, no stop (the run was reset by a win)
        let fifth = Self.entry(120, exit: 97, stop: 97, plan: planID)                     // −30, −1R, stop 97 below the plan's 98
        let report = DisciplineReport.compute(
            [fifth, third, first, fourth, second],
            rules: DisciplineRules(afterLosses: 2, riskBudget: 50, plans: [planID: plan]))
        #expect(report.flags.map(\.entryID) == [third.id, third.id, fourth.id, fifth.id])
        #expect(report.flags.map(\.kind) == [.afterLosses, .oversize, .noStop, .stopMovedAway])
        #expect(report.counts == ["after_losses": 1, "oversize": 1, "no_stop": 1, "stop_moved_away": 1])
        let whatIf = try #require(report.whatIf["after_losses"])
        #expect(whatIf.flaggedTrades == 1)
        #expect(whatIf.flaggedPnL == 200)
        #expect(whatIf.remainingTrades == 4)
        #expect(whatIf.remainingPnL == -35)
        #expect(whatIf.remainingExpectancyR == Decimal(string: "-1.17"))   // (−2 − 0.5 − 1) ÷ 3
        #expect(whatIf.remainingWinRate == Decimal(string: "0.25"))

        let stricter = DisciplineReport.compute([first, second, third], rules: DisciplineRules(afterLosses: 3))
        #expect(stricter.flags.filter { $0.kind == .afterLosses }.isEmpty, "two losses do not make a run of three")
        #expect(stricter.flags.filter { $0.kind == .oversize }.isEmpty, "no budget, no oversize flag")
    }

    @Test("a trade opened before the second loss closed is not after two losses")
    func overlapping() {
        let first = Self.entry(0, exit: 99, stop: 98)
        let second = Self.entry(5, held: 30, exit: 99, stop: 98)   // closes at 10:35
        let third = Self.entry(20, exit: 101, stop: 98)             // opened 10:20, while the second was open
        let report = DisciplineReport.compute([first, second, third], rules: DisciplineRules(afterLosses: 2))
        #expect(report.flags.filter { $0.kind == .afterLosses }.isEmpty)
    }
}
