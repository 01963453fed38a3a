import Foundation
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// Brackets, exits and journaling of fills, without HTTP.
@Suite("Order desk: brackets and fills")
struct OrderDeskBracketTests {
    /// A bracket on a saved plan (stop 95, target 110), confirmed; returns the entry.
    static func bracket(_ h: DeskHarness, quantity: Decimal = 10) async throws -> (entry: OrderRecord, plan: SavedPlan) {
        await h.ready()
        let plan = try await h.savePlan()
        let entry = try await h.place(DeskHarness.ticket(quantity: quantity, plan: plan.id, bracket: true))
        return (entry, plan)
    }

    static func exits(_ h: DeskHarness, of entry: String) async throws -> [OrderRecord] {
        try await h.orders.children(of: entry)
    }

    @Test("the preview freezes the exits; a plan changed and deleted afterwards does not change the confirmed order")
    func exitsFrozen() async throws {
        let h = DeskHarness()
        await h.ready()
        var plan = try await h.savePlan()
        let preview = try await h.desk.preview(DeskHarness.ticket(plan: plan.id, bracket: true))
        #expect(preview.exits.map(\.bracketRole) == [.stop, .target])
        plan.plan.stop = 50
        _ = try await h.plans.update(plan)
        _ = try await h.plans.delete(id: plan.id)
        let entry = try await h.desk.place(confirmationToken: preview.confirmationToken).record
        let exits = try await Self.exits(h, of: entry.id)
        #expect(exits.compactMap(\.order.request.stopPrice) == [95])
        #expect(exits.compactMap(\.order.request.limitPrice) == [110])
        #expect(exits.allSatisfy { $0.order.status == .pending && $0.order.brokerOrderID == nil }, "exits wait for the entry's fill")
    }

    @Test("a bracket needs a plan for the same symbol and side")
    func planMustMatch() async throws {
        let h = DeskHarness()
        await h.ready()
        let plan = try await h.savePlan("MSFT")
        await #expect(throws: OrderDeskError.self) { try await h.desk.preview(DeskHarness.ticket(plan: plan.id, bracket: true)) }
        await #expect(throws: OrderDeskError.self) { try await h.desk.preview(DeskHarness.ticket(plan: UUID(), bracket: true)) }
    }

    @Test("the entry's fill sends both exits for the filled quantity")
    func fillSendsExits() async throws {
        let h = DeskHarness()
        let (entry, _) = try await Self.bracket(h)
        await h.deliver(h.broker.fill(entry.id, at: 100))
        let exits = try await Self.exits(h, of: entry.id)
        #expect(exits.allSatisfy { $0.order.status == .submitted && $0.order.request.quantity == 10 })
        #expect(h.broker.placements.count == 3)
        #expect(h.desk.unprotectedPositions.isEmpty)
    }

    @Test("an entry that partly fills and then expires protects exactly the filled shares")
    func partialThenExpired() async throws {
        let h = DeskHarness()
        let (entry, _) = try await Self.bracket(h)
        await h.deliver(h.broker.fill(entry.id, at: 100, quantity: 4))
        #expect(try await Self.exits(h, of: entry.id).allSatisfy { $0.order.status == .pending }, "not sent while the entry still works")
        await h.deliver(h.broker.finish(entry.id, .expired))
        let exits = try await Self.exits(h, of: entry.id)
        #expect(exits.allSatisfy { $0.order.status == .submitted && $0.order.request.quantity == 4 }, "\(exits.map(\.order))")
    }

    @Test("an entry that ends unfilled cancels its exits")
    func unfilledCancelsExits() async throws {
        let h = DeskHarness()
        let (entry, _) = try await Self.bracket(h)
        await h.deliver(h.broker.finish(entry.id, .canceled))
        #expect(try await Self.exits(h, of: entry.id).allSatisfy { $0.order.status == .canceled })
        #expect(h.broker.placements.count == 1)
    }

    @Test("an exit the broker did not take is retried with backoff; meanwhile the position is unprotected, then protected again")
    func exitRetriedAndFlagged() async throws {
        let h = DeskHarness()
        let (entry, _) = try await Self.bracket(h)
        h.broker.answerNext(.failBeforeSending(.unavailable("HTTP 503")))
        await h.deliver(h.broker.fill(entry.id, at: 100))
        let unprotected = h.desk.unprotectedPositions
        #expect(unprotected.map(\.symbol.rawValue) == ["AAPL"])
        #expect(unprotected.first?.quantity == 10)
        #expect(h.events.statusKinds.contains("unprotected"))
        #expect(h.alarm.last?.count == 1)
        let stop = try #require(try await Self.exits(h, of: entry.id).first { $0.order.request.bracketRole == .stop })
        #expect(stop.order.status == .pending, "the refused exit waits for its retry")
        await h.desk.sendOwedExits()
        #expect(h.broker.placements.count == 2, "not retried before its backoff (1 s) has passed")
        h.clock.advance(by: 1)
        await h.desk.sendOwedExits()
        #expect(try await Self.exits(h, of: entry.id).allSatisfy { $0.order.status == .submitted })
        #expect(h.desk.unprotectedPositions.isEmpty)
        #expect(h.events.statusKinds.last == "protected")
        #expect(h.alarm.last?.isEmpty == true)
    }

    @Test("an exit whose outcome is unknown is re-sent under the same tag only after lookups prove it never arrived")
    func unknownExitProven() async throws {
        let h = DeskHarness()
        let (entry, _) = try await Self.bracket(h)
        h.broker.answerNext(.holdAndLoseAnswer)
        await h.deliver(h.broker.fill(entry.id, at: 100))
        let stop = try #require(try await Self.exits(h, of: entry.id).first { $0.order.request.bracketRole == .stop })
        #expect(stop.order.status == .unknown)
        #expect(!h.desk.unprotectedPositions.isEmpty)
        await h.desk.reconcile()
        await h.desk.sendOwedExits()
        #expect(try await h.record(stop.id)?.order.status == .unknown, "one lookup proves nothing")
        for _ in 0..<3 {
            h.clock.advance(by: 30)
            await h.desk.reconcile()
        }
        await h.desk.sendOwedExits()
        let resent = try #require(try await h.record(stop.id))
        #expect(resent.order.status == .submitted)
        #expect(h.broker.placements.filter { $0 == stop.id }.count == 1, "sent again under the same tag, once")
    }

    @Test("one-cancels-other: the stop's fill cancels the target; the journal closes the trade at the stop")
    func oneCancelsOther() async throws {
        let h = DeskHarness()
        let (entry, plan) = try await Self.bracket(h)
        await h.deliver(h.broker.fill(entry.id, at: 100))
        let exits = try await Self.exits(h, of: entry.id)
        let stop = try #require(exits.first { $0.order.request.bracketRole == .stop })
        let target = try #require(exits.first { $0.order.request.bracketRole == .target })
        await h.deliver(h.broker.fill(stop.id, at: 95))
        #expect(h.broker.order(tag: target.id)?.status == .canceled)
        let trade = try #require(h.orders.journalEntries.first)
        #expect(trade.exitPrice == 95)
        #expect(trade.metrics.pnl == -50)
        #expect(trade.metrics.rMultiple == -1)
        #expect(trade.planID == plan.id)
    }

    @Test("a fill delivered twice is journaled once; a fill beyond the order's quantity is ignored")
    func fillsOnce() async throws {
        let h = DeskHarness()
        await h.ready()
        let placed = try await h.place()
        let updates = h.broker.fill(placed.id, at: 100)
        await h.deliver(updates)
        await h.deliver(updates)
        #expect(h.orders.allFills.count == 1)
        let extra = Fill(id: "extra", clientOrderID: placed.id, symbol: Symbol(trusted: "AAPL"), action: .buy, quantity: 5,
                         price: 100, commission: 0, time: h.clock.now())
        await h.deliver([.fill(extra)])
        #expect(h.orders.allFills.count == 1)
        #expect(h.orders.journalEntries.first?.quantity == 10)
    }

    @Test("order state only moves forward: a stale 'open' after 'filled' changes nothing")
    func forwardOnly() async throws {
        let h = DeskHarness()
        await h.ready()
        let placed = try await h.place()
        let updates = h.broker.fill(placed.id, at: 100)
        await h.deliver(updates)
        var stale = try #require(try await h.record(placed.id)).order
        stale.status = .open
        await h.deliver([.order(stale)])
        #expect(try await h.record(placed.id)?.order.status == .filled)
    }

    @Test("a position closed by hand leaves no working bracket exits")
    func flatCancelsExits() async throws {
        let h = DeskHarness()
        let (entry, _) = try await Self.bracket(h)
        await h.deliver(h.broker.fill(entry.id, at: 100))
        let close = try await h.place(DeskHarness.ticket("AAPL", .sell, type: .market))
        await h.deliver(h.broker.fill(close.id, at: 101))
        #expect(try await Self.exits(h, of: entry.id).allSatisfy { h.broker.order(tag: $0.id)?.status == .canceled })
    }
}

/// Reconciliation without HTTP.
@Suite("Order desk: reconciliation")
struct OrderDeskReconcileTests {
    /// An intent stored (proven never sent) as a crash right after storing it would leave it.
    static func storedIntent(_ h: DeskHarness, age: TimeInterval = 0) async throws -> OrderRecord {
        let created = h.clock.now().addingTimeInterval(-age)
        let record = OrderRecord(order: BrokerOrder(
            clientOrderID: UUID().uuidString.lowercased(), request: DeskHarness.ticket().request, status: .pending,
            createdAt: created, updatedAt: created), confirmationToken: "ct_\(UUID())", broker: "scripted")
        try await h.orders.insert([record])
        return record
    }

    @Test("a recent intent that never reached the broker is sent at reconciliation")
    func recentIntentSent() async throws {
        let h = DeskHarness()
        h.price("AAPL", 100)
        let intent = try await Self.storedIntent(h)
        await h.desk.reconcile()
        #expect(try await h.record(intent.id)?.order.status == .submitted)
        #expect(h.broker.placements == [intent.id])
    }

    @Test("an old intent is cancelled with the reason, not sent")
    func oldIntentCancelled() async throws {
        let h = DeskHarness()
        h.price("AAPL", 100)
        let intent = try await Self.storedIntent(h, age: 600)
        await h.desk.reconcile()
        let record = try #require(try await h.record(intent.id))
        #expect(record.order.status == .canceled)
        #expect(record.order.reason?.contains("never reached the broker") == true)
        #expect(h.broker.placements.isEmpty)
    }

    @Test("an unsent intent goes through the risk gate: refused, it is cancelled with the gate's reason")
    func intentThroughGate() async throws {
        let gate = SwitchGate()
        gate.refusing.withLock { $0 = true }
        let h = DeskHarness(gate: gate)
        h.price("AAPL", 100)
        let intent = try await Self.storedIntent(h)
        await h.desk.reconcile()
        let record = try #require(try await h.record(intent.id))
        #expect(record.order.status == .canceled)
        #expect(record.order.reason?.contains("halted by the test") == true)
        #expect(h.broker.placements.isEmpty)
    }

    @Test("an order left 'sending' by a crash becomes unknown, never re-sent")
    func sendingBecomesUnknown() async throws {
        let h = DeskHarness()
        h.price("AAPL", 100)
        var intent = try await Self.storedIntent(h)
        intent.order.status = .sending
        try await h.orders.update(intent.order)
        await h.desk.reconcile()
        await h.desk.reconcile()
        #expect(try await h.record(intent.id)?.order.status == .unknown)
        #expect(h.broker.placements.isEmpty)
    }

    @Test("fills the broker made while we were down are journaled once at reconciliation")
    func missedFills() async throws {
        let h = DeskHarness()
        await h.ready()
        let placed = try await h.place()
        _ = h.broker.fill(placed.id, at: 100)  // the updates are lost
        await h.desk.reconcile()
        await h.desk.reconcile()
        #expect(try await h.record(placed.id)?.order.status == .filled)
        #expect(h.orders.allFills.count == 1)
        #expect(h.orders.journalEntries.first?.quantity == 10)
    }

    @Test("a working order tagged by us that we have no record of blocks new orders until resolved")
    func foreignTaggedOrderBlocks() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.accept)
        _ = try await h.broker.place(DeskHarness.ticket().request, clientOrderID: UUID().uuidString.lowercased())
        await h.desk.reconcile()
        #expect(h.desk.reconciliationState.blockReason != nil)
        await #expect(throws: OrderDeskError.self) { try await h.desk.preview(DeskHarness.ticket()) }
    }

    @Test("a broker that cannot be read blocks new orders (cancels still work) until it can")
    func unreadableBrokerBlocks() async throws {
        let h = DeskHarness()
        await h.ready()
        let placed = try await h.place()
        h.broker.failReads(.unavailable("down"))
        await h.desk.reconcile()
        #expect(h.desk.reconciliationState.blockReason?.contains("could not complete") == true)
        h.broker.failReads(nil)
        _ = try await h.desk.cancel(clientOrderID: placed.id)
        await h.desk.reconcile()
        #expect(h.desk.reconciliationState.blockReason == nil)
    }

    @Test("the reconcile loop runs on the injected clock: a due run happens when the test advances time")
    func loopOnClock() async throws {
        let h = DeskHarness()
        h.price("AAPL", 100)
        let loop = Task { await h.desk.reconcileLoop() }
        await h.clock.waitForSleepers()
        #expect(h.desk.reconciliationState.runs == 1, "the first run happens at once")
        h.clock.advance(by: 59)
        await h.clock.waitForSleepers()
        #expect(h.desk.reconciliationState.runs == 1)
        h.clock.advance(by: 1)
        await h.clock.waitForSleepers()
        for _ in 0..<1_000 where h.desk.reconciliationState.runs < 2 { await Task.yield() }
        #expect(h.desk.reconciliationState.runs == 2, "one more run after 60 s")
        loop.cancel()
        await loop.value
    }
}
