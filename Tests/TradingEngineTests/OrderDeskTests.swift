import Foundation
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// The order desk without HTTP: preview → confirm → place, tokens, refusals, outcomes.
@Suite("Order desk: placing")
struct OrderDeskPlacingTests {
    @Test("new orders wait for the first reconciliation")
    func waitsForReconciliation() async throws {
        let h = DeskHarness()
        h.price("AAPL", 100)
        await #expect(throws: OrderDeskError.self) { try await h.desk.preview(DeskHarness.ticket()) }
        await h.desk.reconcile()
        _ = try await h.desk.preview(DeskHarness.ticket())
    }

    @Test("a confirmed order is stored, marked sending, then submitted with the broker's id; its events are published")
    func placesOnce() async throws {
        let h = DeskHarness()
        await h.ready()
        let record = try await h.place()
        #expect(record.order.status == .submitted)
        #expect(record.order.brokerOrderID == "B-1")
        #expect(h.broker.placements == [record.id])
        let statuses = h.events.orders.filter { $0.id == record.id }.map(\.order.status)
        #expect(statuses == [.sending, .submitted])
    }

    @Test("the same token returns the same order; it is sent once")
    func repeatedToken() async throws {
        let h = DeskHarness()
        await h.ready()
        let preview = try await h.desk.preview(DeskHarness.ticket())
        let first = try await h.desk.place(confirmationToken: preview.confirmationToken)
        let second = try await h.desk.place(confirmationToken: preview.confirmationToken)
        #expect(first.created && !second.created)
        #expect(first.record.id == second.record.id)
        #expect(h.broker.placements.count == 1)
    }

    @Test("an unknown token and an expired one are refused; nothing is sent")
    func tokens() async throws {
        let h = DeskHarness()
        await h.ready()
        await #expect(throws: OrderDeskError.self) { try await h.desk.place(confirmationToken: "ct_nope") }
        let preview = try await h.desk.preview(DeskHarness.ticket())
        h.clock.advance(by: 61)
        do {
            _ = try await h.desk.place(confirmationToken: preview.confirmationToken)
            Issue.record("an expired token placed an order")
        } catch OrderDeskError.confirmationInvalid(let detail) {
            #expect(detail.contains("expired"))
        }
        #expect(h.broker.placements.isEmpty)
    }

    @Test("a broker refusal is rejected with its words")
    func brokerRefusal() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.reject("not enough buying power"))
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let record = try #require(h.orders.all.first)
        #expect(record.order.status == .rejected)
        #expect(record.order.reason == "not enough buying power")
    }

    @Test("an entry refused before it reached the broker (503) is rejected 'not placed', never retried")
    func provenNotPlaced() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.failBeforeSending(.unavailable("HTTP 503")))
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let record = try #require(h.orders.all.first)
        #expect(record.order.status == .rejected)
        #expect(record.order.reason?.contains("not placed") == true)
        await h.desk.reconcile()
        #expect(h.broker.placements.isEmpty)
    }

    @Test("pre-trade checks fail a market order without a quote")
    func noQuoteNoMarketOrder() async throws {
        let h = DeskHarness()
        await h.ready()
        do {
            _ = try await h.desk.preview(DeskHarness.ticket("MSFT", type: .market))
            Issue.record("a market order without a quote was accepted")
        } catch OrderDeskError.checksFailed(let checks) {
            #expect(checks.contains { $0.name == "price" && $0.outcome == .fail })
        }
    }

    @Test("limits are re-checked at confirm: two previews at 80% of the position limit cannot both be placed")
    func limitsAtConfirm() async throws {
        let h = DeskHarness(risk: RiskSettings(maxPositionSizePct: 10))
        await h.ready()
        // 80 shares × 100 = 8,000 = 8% of 100,000.
        let first = try await h.desk.preview(DeskHarness.ticket(quantity: 80))
        let second = try await h.desk.preview(DeskHarness.ticket(quantity: 80))
        _ = try await h.desk.place(confirmationToken: first.confirmationToken)
        do {
            _ = try await h.desk.place(confirmationToken: second.confirmationToken)
            Issue.record("the second confirm breached the limit")
        } catch OrderDeskError.checksFailed(let checks) {
            #expect(checks.contains { $0.name == "max_position_size" && $0.outcome == .fail })
        }
        #expect(h.broker.placements.count == 1)
    }

    @Test("a filled position counts against the limit at confirm, like a working order")
    func filledCountsAtConfirm() async throws {
        let h = DeskHarness(risk: RiskSettings(maxPositionSizePct: 10))
        await h.ready()
        let preview = try await h.desk.preview(DeskHarness.ticket(quantity: 80))
        let placed = try await h.place(DeskHarness.ticket(quantity: 80))
        await h.deliver(h.broker.fill(placed.id, at: 100))
        await #expect(throws: OrderDeskError.self) { try await h.desk.place(confirmationToken: preview.confirmationToken) }
    }

    @Test("a gate's refusal blocks previews and confirms with its code")
    func gateRefuses() async throws {
        let gate = SwitchGate()
        let h = DeskHarness(gate: gate)
        await h.ready()
        let preview = try await h.desk.preview(DeskHarness.ticket())
        gate.refusing.withLock { $0 = true }
        do {
            _ = try await h.desk.place(confirmationToken: preview.confirmationToken)
            Issue.record("a halted desk placed an order")
        } catch OrderDeskError.blocked(let code, _) {
            #expect(code == "risk_halted")
        }
        #expect(h.broker.placements.isEmpty)
    }

    @Test("simulated prices with a real broker: every preview warns simulated_prices")
    func simulatedPricesWarn() async throws {
        let h = DeskHarness(simulatedPrices: true)
        await h.ready()
        let preview = try await h.desk.preview(DeskHarness.ticket())
        #expect(preview.checks.contains { $0.name == "simulated_prices" && $0.outcome == .warn })
        let plain = DeskHarness()
        await plain.ready()
        #expect(try await plain.desk.preview(DeskHarness.ticket()).checks.allSatisfy { $0.name != "simulated_prices" })
    }

    @Test("cancel: a working order is cancelled at the broker; a final one is refused; an unsent one is cancelled here")
    func cancel() async throws {
        let h = DeskHarness()
        await h.ready()
        let placed = try await h.place()
        _ = try await h.desk.cancel(clientOrderID: placed.id)
        #expect(h.broker.order(tag: placed.id)?.status == .canceled)
        await h.deliver([.order(try #require(h.broker.order(tag: placed.id)))])
        #expect(try await h.record(placed.id)?.order.status == .canceled)
        await #expect(throws: OrderDeskError.self) { try await h.desk.cancel(clientOrderID: placed.id) }
        await #expect(throws: OrderDeskError.self) { try await h.desk.cancel(clientOrderID: "no-such-order") }
    }
}

/// Outcomes the broker did not tell us: `unknown`, looked up by tag, never re-sent blindly.
@Suite("Order desk: unknown outcomes")
struct OrderDeskUnknownTests {
    @Test("a lost answer leaves the order 'unknown'; reconciliation finds it by its tag and takes the broker's state")
    func lostAnswerFound() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.acceptAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let id = try #require(h.orders.all.first?.id)
        #expect(try await h.record(id)?.order.status == .unknown)
        await h.desk.reconcile()
        let found = try #require(try await h.record(id))
        #expect(found.order.status == .open)
        #expect(found.order.brokerOrderID == "B-1")
        #expect(h.broker.placements == [id])
    }

    @Test("an order the broker does not show yet stays unknown through many reconciliations and is never sent again")
    func neverResent() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.holdAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let id = try #require(h.orders.all.first?.id)
        for _ in 0..<6 {
            h.clock.advance(by: 30)
            await h.desk.reconcile()
        }
        let record = try #require(try await h.record(id))
        #expect(record.order.status == .unknown)
        #expect(record.order.reason?.contains("send it anyway") == true, "after the proof window the reason says what to do")
        #expect(h.broker.placements.isEmpty)
        h.broker.release(id)
        await h.desk.reconcile()
        #expect(try await h.record(id)?.order.status == .open)
        #expect(h.broker.placements == [id])
    }

    @Test("check again looks the order up now")
    func checkAgain() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.holdAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let id = try #require(h.orders.all.first?.id)
        #expect(try await h.desk.checkAgain(clientOrderID: id).order.status == .unknown)
        h.broker.release(id)
        #expect(try await h.desk.checkAgain(clientOrderID: id).order.status == .open)
    }

    @Test("send anyway: a preview of the same order with a resend warning, placed under a new id; the unknown one stays looked up")
    func sendAnyway() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.holdAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let id = try #require(h.orders.all.first?.id)
        let preview = try await h.desk.previewResend(of: id)
        #expect(preview.checks.contains { $0.name == "resend" && $0.outcome == .warn })
        #expect(preview.ticket.request.quantity == 10 && preview.ticket.request.limitPrice == 100)
        let again = try await h.desk.place(confirmationToken: preview.confirmationToken).record
        #expect(again.id != id)
        #expect(again.order.status == .submitted)
        #expect(try await h.record(id)?.order.status == .unknown)
        #expect(h.broker.placements == [again.id])
    }

    @Test("send anyway is only for an unknown entry order")
    func sendAnywayOnlyUnknown() async throws {
        let h = DeskHarness()
        await h.ready()
        let placed = try await h.place()
        do {
            _ = try await h.desk.previewResend(of: placed.id)
            Issue.record("a working order was offered for resending")
        } catch OrderDeskError.notUnknown(let record) {
            #expect(record.id == placed.id)
        }
    }

    @Test("another order on a symbol with an unknown order carries an unknown_orders warning")
    func unknownWarns() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.holdAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let preview = try await h.desk.preview(DeskHarness.ticket())
        #expect(preview.checks.contains { $0.name == "unknown_orders" && $0.outcome == .warn })
        #expect(try await h.desk.preview(DeskHarness.ticket("MSFT")).checks.allSatisfy { $0.name != "unknown_orders" })
    }

    @Test("an unknown order counts against limits at confirm (it may be working)")
    func unknownCountsInLimits() async throws {
        let h = DeskHarness(risk: RiskSettings(maxPositionSizePct: 10))
        await h.ready()
        let preview = try await h.desk.preview(DeskHarness.ticket(quantity: 80))
        h.broker.answerNext(.holdAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place(DeskHarness.ticket(quantity: 80)) }
        await #expect(throws: OrderDeskError.self) { try await h.desk.place(confirmationToken: preview.confirmationToken) }
    }

    @Test("a cancel of an unknown order looks it up first; not found, it is refused rather than guessed")
    func cancelUnknown() async throws {
        let h = DeskHarness()
        await h.ready()
        h.broker.answerNext(.holdAndLoseAnswer)
        await #expect(throws: OrderDeskError.self) { try await h.place() }
        let id = try #require(h.orders.all.first?.id)
        await #expect(throws: OrderDeskError.self) { try await h.desk.cancel(clientOrderID: id) }
        h.broker.release(id)
        _ = try await h.desk.cancel(clientOrderID: id)
        #expect(h.broker.order(tag: id)?.status == .canceled)
    }
}
