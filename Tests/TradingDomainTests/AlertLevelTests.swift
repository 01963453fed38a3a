import APIInput
import Foundation
import Testing
import TradingDomain

/// Level alerts (`price_above`, `price_below`, `percent_change`): one named test per edge case.
@Suite("Alerts: level semantics")
struct AlertLevelTests {
    typealias F = AlertFixtures

    @Test("price_above fires on the first tick when the price is already above")
    func firesImmediatelyWhenAlreadyAbove() throws {
        var book = F.book(F.rule(1, .priceAbove, "200"))
        let result = book.tick("201.5", at: 1)
        let firing = try #require(result.firings.first)
        #expect(result.firings.count == 1)
        #expect(firing.alertID == F.id(1))
        #expect(firing.sequence == 1)
        #expect(firing.level == 200)
        #expect(firing.side == .above)
        #expect(firing.price == F.dec("201.5"))
        #expect(firing.time == F.at(1))
        #expect(firing.source == .stream)
        #expect(firing.rule.status == .triggered)
        #expect(firing.rule.fireCount == 1)
        #expect(firing.rule.lastFiredAt == F.at(1))
        #expect(firing.rule.updatedAt == F.at(1))
    }

    @Test("price_above fires at exactly the threshold, not a cent below")
    func aboveEquality() {
        var book = F.book(F.rule(1, .priceAbove, "200"))
        #expect(book.tick("199.99", at: 1).fired == [])
        #expect(book.tick("200", at: 2).fired == ["01:above@200"])
    }

    @Test("price_below fires at exactly the threshold, not a cent above")
    func belowEquality() {
        var book = F.book(F.rule(1, .priceBelow, "100"))
        #expect(book.tick("100.01", at: 1).fired == [])
        #expect(book.tick("100.00", at: 2).fired == ["01:below@100"])
    }

    @Test("a once alert becomes triggered and leaves the book")
    func onceBecomesTriggered() {
        var book = F.book(F.rule(1, .priceBelow, "100"), F.rule(2, .priceBelow, "90"))
        let result = book.tick("95", at: 1)
        #expect(result.firings.map(\.rule.status) == [.triggered])
        #expect(book.armedCount == 1)
        #expect(book.rule(id: F.id(1)) == nil)
        #expect(book.tick("94", at: 2).fired == [])
        #expect(book.tick("89", at: 3).fired == ["02:below@89"])
        #expect(book.armedCount == 0)
        #expect(book.indexEntryCount == 0)
    }

    @Test("repeat does not re-fire while the price stays above, even after the cooldown")
    func repeatDoesNotSpam() {
        var book = F.book(F.rule(1, .priceAbove, "200", mode: .repeat, cooldown: 10))
        #expect(book.tick("201", at: 0).firings.count == 1)
        var later = 0
        for second in 1...600 { later += book.tick("201", at: Double(second)).firings.count }
        #expect(later == 0)
        #expect(book.rule(id: F.id(1))?.lastSide == .above)
    }

    @Test("repeat re-fires only after the price went back below AND the cooldown ended")
    func repeatNeedsCooldownAndReturn() {
        var book = F.book(F.rule(1, .priceAbove, "200", mode: .repeat, cooldown: 60))
        #expect(book.tick("201", at: 0).fired == ["01:above@201"])
        let back = book.tick("199", at: 5)
        #expect(back.fired == [])
        #expect(back.changed.map(\.lastSide) == [.unknown])
        #expect(book.tick("201", at: 30).fired == [])  // back above, but inside the cooldown
        let again = book.tick("200.5", at: 60)  // cooldown over: the return is reported
        #expect(again.fired == ["01:above@200.5"])
        #expect(again.firings.first?.sequence == 2)
        #expect(again.firings.first?.rule.status == .active)
        #expect(again.firings.first?.rule.lastFiredAt == F.at(60))
    }

    @Test("repeat: the cooldown alone is not enough without a return below")
    func repeatCooldownAloneIsNotEnough() {
        var book = F.book(F.rule(1, .priceAbove, "200", mode: .repeat, cooldown: 10))
        #expect(book.tick("205", at: 0).firings.count == 1)
        #expect(book.tick("210", at: 100).fired == [])
        #expect(book.tick("199", at: 101).fired == [])
        #expect(book.tick("200", at: 102).fired == ["01:above@200"])
    }

    @Test("the repeat timeline of docs/alerts.md")
    func documentedRepeatTimeline() {
        var book = F.book(F.rule(1, .priceAbove, "200", mode: .repeat, cooldown: 60))
        var fired: [String] = []
        let ticks: [(Double, String)] = [(0, "201"), (1, "201"), (300, "201"), (600, "201"), (601, "199"), (602, "200"),
                                         (630, "199"), (631, "201"), (662, "200.5")]
        for (time, price) in ticks {
            fired += book.tick(price, at: time).firings.map { "#\($0.sequence)@\(Int(time))" }
        }
        #expect(fired == ["#1@0", "#2@602", "#3@662"])
    }

    @Test("percent_change never fires before the previous close is known")
    func percentWaitsForPreviousClose() {
        var book = F.book(F.rule(1, .percentChange, "5", direction: .up))
        #expect(book.tick("1000", at: 1).fired == [])
        book.setPreviousClose(F.aapl, 100)
        #expect(book.tick("104.99", at: 2).fired == [])
        let result = book.tick("105", at: 3)
        #expect(result.fired == ["01:above@105"])
        #expect(result.firings.first?.level == 105)
        #expect(result.firings.first?.threshold == 5)
    }

    @Test("percent_change either fires down at -threshold percent")
    func percentEitherDown() {
        var book = F.book(F.rule(1, .percentChange, "2.5"))
        book.setPreviousClose(F.aapl, F.dec("80"))
        #expect(book.tick("78.01", at: 1).fired == [])
        let result = book.tick("78", at: 2)
        #expect(result.fired == ["01:below@78"])
        #expect(result.firings.first?.level == 78)
    }

    @Test("percent_change levels move with a new previous close")
    func percentFollowsNewClose() {
        var book = F.book(F.rule(1, .percentChange, "10", direction: .up))
        book.setPreviousClose(F.aapl, 100)
        #expect(book.tick("109", at: 1).fired == [])
        book.setPreviousClose(F.aapl, 99)
        #expect(book.tick("108.9", at: 2).fired == ["01:above@108.9"])
    }

    @Test("percent_change level with more decimals than the integer key compares exactly")
    func percentInexactLevel() {
        // 100.000001 × 1.000001 = 100.000101000001: its key (10⁻⁸ steps) ties with 100.000101's.
        var book = F.book(F.rule(1, .percentChange, "0.0001", direction: .up))
        book.setPreviousClose(F.aapl, F.dec("100.000001"))
        #expect(book.tick("100.000101", at: 1).fired == [])
        let result = book.tick("100.000101000001", at: 2)
        #expect(result.fired == ["01:above@100.000101000001"])
        #expect(result.firings.first?.level == F.dec("100.000101000001"))
    }

    @Test("percent either: a gap from above the up level to below the down level fires down")
    func percentEitherGap() {
        var book = F.book(F.rule(1, .percentChange, "5", mode: .repeat, cooldown: 10))
        book.setPreviousClose(F.aapl, 100)
        #expect(book.tick("106", at: 0).fired == ["01:above@106"])
        #expect(book.tick("94", at: 5).fired == [])  // left the up zone, but inside the cooldown
        #expect(book.tick("94.5", at: 10).fired == ["01:below@94.5"])
    }

    @Test("a restored latched repeat alert does not repeat its firing after a restart")
    func restartDoesNotRepeat() {
        let fired = F.rule(1, .priceAbove, "200", mode: .repeat, cooldown: 10, lastSide: .above,
                           lastFiredAt: F.at(-100), fireCount: 3)
        var book = F.book(fired)
        #expect(book.tick("205", at: 0).fired == [])
        #expect(book.tick("199", at: 1).fired == [])
        let again = book.tick("201", at: 2)
        #expect(again.fired == ["01:above@201"])
        #expect(again.firings.first?.sequence == 4)
    }

    @Test("a restored repeat alert still inside its cooldown waits for its end")
    func restartKeepsCooldown() {
        var book = F.book(F.rule(1, .priceBelow, "50", mode: .repeat, cooldown: 60, lastFiredAt: F.at(-30)))
        #expect(book.tick("49", at: 0).fired == [])
        #expect(book.tick("49", at: 29.999).fired == [])
        #expect(book.tick("49", at: 30).fired == ["01:below@49"])
    }

    @Test("disabled alerts are not held and never fire")
    func disabledNeverFires() throws {
        var book = F.book(F.rule(1, .priceAbove, "1", status: .disabled))
        #expect(book.armedCount == 0)
        #expect(book.tick("500", at: 1).fired == [])
        book.add(F.rule(2, .priceAbove, "1"))
        let disabled = try AlertInput.update(
            try #require(book.rule(id: F.id(2))), patch: F.json(#"{"status":"disabled"}"#), now: F.at(2))
        book.update(disabled)
        #expect(book.tick("500", at: 3).fired == [])
        #expect(book.indexEntryCount == 0)
    }

    @Test("non-positive prices are ignored")
    func ignoresBadPrices() {
        var book = F.book(F.rule(1, .priceBelow, "10"))
        #expect(book.tick("0", at: 1).fired == [])
        #expect(book.tick("-1", at: 2).fired == [])
        #expect(book.tick("9", at: 3).fired == ["01:below@9"])
    }
}
