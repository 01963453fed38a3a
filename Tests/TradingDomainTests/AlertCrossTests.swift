import APIInput
import Foundation
import Testing
import TradingDomain

/// `price_cross`, expiry, catch-up and re-arming: one named test per edge case.
@Suite("Alerts: crossing, expiry, catch-up, re-arm")
struct AlertCrossTests {
    typealias F = AlertFixtures

    @Test("price_cross needs a prior observation: the first tick only learns the side")
    func crossNeedsPriorObservation() {
        var book = F.book(F.rule(1, .priceCross, "200"))
        let first = book.tick("210", at: 1)
        #expect(first.fired == [])
        #expect(first.changed.map(\.lastSide) == [.above])
        let second = book.tick("190", at: 2)
        #expect(second.fired == ["01:below@190"])
        #expect(second.firings.first?.rule.lastSide == .below)
        #expect(second.firings.first?.rule.status == .triggered)
    }

    @Test("price_cross: touching the threshold is not a cross; equality keeps the side")
    func crossEquality() {
        var book = F.book(F.rule(1, .priceCross, "200", lastSide: .below))
        let touch = book.tick("200", at: 1)
        #expect(touch.fired == [])
        #expect(touch.changed == [])
        #expect(book.tick("199.99", at: 2).fired == [])
        #expect(book.tick("200", at: 3).fired == [])
        #expect(book.tick("200.01", at: 4).fired == ["01:above@200.01"])
    }

    @Test("price_cross equal to the threshold on the first tick leaves the side unknown")
    func crossFirstTickAtThreshold() {
        var book = F.book(F.rule(1, .priceCross, "200"))
        #expect(book.tick("200", at: 1).changed == [])
        #expect(book.rule(id: F.id(1))?.lastSide == .unknown)
        #expect(book.tick("201", at: 2).fired == [])
        #expect(book.tick("199", at: 3).fired == ["01:below@199"])
    }

    @Test("repeat price_cross fires both ways, and a crossing inside the cooldown only moves the side")
    func crossRepeatCooldown() {
        var book = F.book(F.rule(1, .priceCross, "200", mode: .repeat, cooldown: 30, lastSide: .below))
        #expect(book.tick("201", at: 0).fired == ["01:above@201"])
        let inside = book.tick("199", at: 10)
        #expect(inside.fired == [])
        #expect(inside.changed.map(\.lastSide) == [.below])
        #expect(book.tick("198", at: 40).fired == [])  // no new crossing after the cooldown
        let up = book.tick("202", at: 41)
        #expect(up.fired == ["01:above@202"])
        #expect(up.firings.first?.sequence == 2)
        #expect(book.tick("190", at: 71).fired == ["01:below@190"])
    }

    @Test("a restored price_cross side makes a crossing during downtime fire on the first tick")
    func crossRestoredSide() {
        var book = F.book(F.rule(1, .priceCross, "200", lastSide: .below))
        #expect(book.tick("205", at: 1).fired == ["01:above@205"])
    }

    @Test("expiry fires on time without ticks")
    func expiryWithoutTicks() {
        var book = F.book(F.rule(1, .priceAbove, "200", expiresAt: F.at(60)), F.rule(2, .priceAbove, "300"))
        #expect(book.expire(now: F.at(59.999)) == [])
        let expired = book.expire(now: F.at(60))
        #expect(expired.map(\.id) == [F.id(1)])
        #expect(expired.first?.status == .expired)
        #expect(expired.first?.updatedAt == F.at(60))
        #expect(book.armedCount == 1)
        #expect(book.expire(now: F.at(120)) == [])
    }

    @Test("expiry stays exact while many alerts with an expiry are added and removed")
    func expiryAfterChurn() {
        var book = AlertBook()
        for number in 1...3_000 {
            book.add(F.rule(number, .priceAbove, "500", expiresAt: F.at(Double(number))))
            if number <= 1_000 { book.remove(id: F.id(number)) }
        }
        #expect(book.expire(now: F.at(1_000)) == [])
        let expired = book.expire(now: F.at(3_000))
        #expect(expired.count == 2_000)
        let missing = Set((1_001...3_000).map(F.id)).subtracting(expired.map(\.id))
        #expect(missing == [])
        #expect(book.armedCount == 0)
    }

    @Test("an alert at its expires_at expires instead of firing")
    func expiredNeverFires() {
        var book = F.book(F.rule(1, .priceAbove, "200", expiresAt: F.at(60)))
        let result = book.tick("250", at: 60)
        #expect(result.fired == [])
        #expect(result.expired.map(\.status) == [.expired])
        #expect(book.tick("250", at: 61).fired == [])
    }

    @Test("catch-up: price_above fires on the day high even though the last price is below")
    func catchUpDayHigh() {
        var book = F.book(F.rule(1, .priceAbove, "200"))
        let snapshot = MarketSnapshot(symbol: F.aapl, last: 199, dayHigh: 201, dayLow: 195, updated: F.at(5))
        let result = book.evaluate(snapshot: snapshot, time: F.at(10))
        #expect(result.fired == ["01:above@201"])
        #expect(result.firings.first?.source == .catchUp)
        #expect(result.firings.first?.time == F.at(10))
    }

    @Test("catch-up: price_cross fires when the day range spans the threshold from the observed side")
    func catchUpCross() {
        var book = F.book(F.rule(1, .priceCross, "200", lastSide: .below), F.rule(2, .priceCross, "190", lastSide: .below))
        let snapshot = MarketSnapshot(symbol: F.aapl, last: 198, dayHigh: 205, dayLow: 185, updated: F.at(5))
        #expect(AlertBook.catchUpPath(snapshot, knownHigh: nil, knownLow: nil) == [185, 205, 198])
        let result = book.evaluate(snapshot: snapshot, time: F.at(10))
        // 2 is below 190 at the low (no change of side), then crosses up at the high; 1 crosses up at the high.
        #expect(Set(result.fired) == ["01:above@205", "02:above@205"])
    }

    @Test("catch-up: extremes already seen from the stream are not used again")
    func catchUpKnownExtremes() {
        var book = F.book(F.rule(1, .priceAbove, "200"))
        let snapshot = MarketSnapshot(symbol: F.aapl, last: 199, dayHigh: 201, dayLow: 195, updated: F.at(5))
        #expect(AlertBook.catchUpPath(snapshot, knownHigh: 201, knownLow: 190) == [199])
        #expect(book.evaluate(snapshot: snapshot, time: F.at(10), knownHigh: 201, knownLow: 190).fired == [])
        #expect(book.evaluate(snapshot: snapshot, time: F.at(11), source: .poll, knownHigh: 200.5).fired == ["01:above@201"])
    }

    @Test("catch-up takes the previous close from the snapshot for percent_change")
    func catchUpPreviousClose() {
        var book = F.book(F.rule(1, .percentChange, "5"))
        let snapshot = MarketSnapshot(symbol: F.aapl, last: 94, previousClose: 100, updated: F.at(5))
        #expect(book.evaluate(snapshot: snapshot, time: F.at(6)).fired == ["01:below@94"])
        #expect(book.previousClose(F.aapl) == 100)
    }

    @Test("catch-up path: the extreme farther from the last price comes first; the mid when there is no last")
    func catchUpPathOrder() {
        let nearLow = MarketSnapshot(symbol: F.aapl, last: 196, dayHigh: 205, dayLow: 195, updated: F.at(0))
        #expect(AlertBook.catchUpPath(nearLow, knownHigh: nil, knownLow: nil) == [205, 195, 196])
        let quoteOnly = MarketSnapshot(symbol: F.aapl, bid: F.dec("10.01"), ask: F.dec("10.04"), updated: F.at(0))
        #expect(AlertBook.catchUpPath(quoteOnly, knownHigh: nil, knownLow: nil) == [F.dec("10.025")])
    }

    @Test("re-arming a triggered price_cross forgets the side, so it needs a fresh crossing")
    func rearmNeedsFreshCrossing() throws {
        var book = F.book(F.rule(1, .priceCross, "200", lastSide: .below))
        let fired = try #require(book.tick("201", at: 1).firings.first?.rule)
        #expect(fired.status == .triggered)
        let rearmed = try AlertInput.update(fired, patch: F.json(#"{"status":"active"}"#), now: F.at(2))
        #expect(rearmed.status == .active)
        #expect(rearmed.lastSide == .unknown)
        #expect(rearmed.fireCount == 1)
        book.add(rearmed)
        #expect(book.tick("202", at: 3).fired == [])
        let again = book.tick("199", at: 4)
        #expect(again.fired == ["01:below@199"])
        #expect(again.firings.first?.sequence == 2)
    }

    @Test("re-arming a triggered price_above fires again at once if the price is still above")
    func rearmLevelFiresAgain() throws {
        var book = F.book(F.rule(1, .priceAbove, "200"))
        let fired = try #require(book.tick("201", at: 1).firings.first?.rule)
        book.add(try AlertInput.update(fired, patch: F.json(#"{"status":"active"}"#), now: F.at(2)))
        #expect(book.tick("201", at: 3).fired == ["01:above@201"])
    }

    @Test("remove and update keep the index exact")
    func removeAndUpdate() {
        var book = F.book(F.rule(1, .priceAbove, "200"), F.rule(2, .percentChange, "5"), F.rule(3, .priceCross, "150"))
        book.setPreviousClose(F.aapl, 100)
        #expect(book.indexEntryCount == 4)
        #expect(book.remove(id: F.id(2))?.id == F.id(2))
        book.update(F.rule(1, .priceAbove, "300"))
        #expect(book.tick("250", at: 1).fired == [])
        #expect(book.symbolsWithAlerts == [F.aapl])
        book.remove(id: F.id(1))
        book.remove(id: F.id(3))
        #expect(book.indexEntryCount == 0)
        #expect(book.symbolsWithAlerts == [])
    }
}
