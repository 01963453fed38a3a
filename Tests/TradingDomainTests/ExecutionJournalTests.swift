import Foundation
import Testing
import TradingDomain

/// Every branch of `ExecutionJournal.apply`: open, extend, partial close, full close, flip, fees
/// split across a flip, plan linking, options × 100, and R from the plan's stop.
@Suite("Execution journal")
struct ExecutionJournalTests {
    static let t0 = Date(epochMilliseconds: 1_780_000_000_000)
    static let aapl = Symbol(trusted: "AAPL")

    static func fill(
        _ action: OrderAction, _ quantity: Decimal, at price: Decimal, commission: Decimal = 0,
        symbol: Symbol = aapl, order: String = "o-1", seconds: Double = 0
    ) -> Fill {
        Fill(id: "\(order)#\(seconds)", clientOrderID: order, symbol: symbol, action: action, quantity: quantity,
             price: price, commission: commission, time: t0.addingTimeInterval(seconds))
    }

    static func plan(side: Side = .long, symbol: Symbol = aapl, stop: Decimal = 95, targets: [Decimal] = [110]) -> SavedPlan {
        SavedPlan(id: UUID(), plan: TradePlan(symbol: symbol, side: side, entry: 100, stop: stop, targets: targets),
                  createdAt: t0, updatedAt: t0)
    }

    /// Applies fills in order from flat; returns every result.
    static func run(_ fills: [Fill], plan: SavedPlan? = nil) -> [ExecutionJournal.Result] {
        var open: OpenExecution?
        var ids = 0
        var results: [ExecutionJournal.Result] = []
        for fill in fills {
            let result = ExecutionJournal.apply(fill, to: open, plan: plan, planID: plan?.id, now: t0, newID: {
                ids += 1
                return UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", ids))!
            })
            open = result.open
            results.append(result)
        }
        return results
    }

    @Test("a first fill opens an entry on its side with the plan's stop and targets, linked to the plan")
    func opens() throws {
        let plan = Self.plan()
        let result = try #require(Self.run([Self.fill(.buy, 10, at: 100, commission: 1)], plan: plan).first)
        let entry = try #require(result.entries.first)
        #expect(result.entries.count == 1)
        #expect(entry.side == .long && entry.quantity == 10 && entry.entryPrice == 100)
        #expect(entry.stop == 95 && entry.targets == [110])
        #expect(entry.planID == plan.id)
        #expect(entry.fees == 1)
        #expect(entry.source == .execution && entry.exitPrice == nil)
        #expect(result.legs == [ExecutionLeg(entryID: entry.id, effect: .open, quantity: 10, price: 100)])
        #expect(result.open?.remaining == 10)
    }

    @Test("a plan for another side or symbol gives no stop, but the order's plan id is kept")
    func planMustMatch() throws {
        let plan = Self.plan(side: .short)
        let entry = try #require(Self.run([Self.fill(.buy, 10, at: 100)], plan: plan).first?.entries.first)
        #expect(entry.stop == nil && entry.targets.isEmpty)
        #expect(entry.planID == plan.id)
    }

    @Test("a fill on the same side extends the entry with a weighted average price and adds its fees")
    func extends() throws {
        let results = Self.run([Self.fill(.buy, 10, at: 100, commission: 1), Self.fill(.buy, 30, at: 104, commission: 2, seconds: 1)])
        let entry = try #require(results[1].entries.first)
        #expect(entry.id == results[0].entries.first?.id)
        #expect(entry.quantity == 40)
        #expect(entry.entryPrice == 103)  // (10×100 + 30×104) / 40
        #expect(entry.fees == 3)
        #expect(results[1].legs.first?.effect == .open)
        #expect(results[1].open?.remaining == 40)
    }

    @Test("a partial close keeps the entry open; the last close sets the average exit, the time and the P&L and R")
    func partialThenFullClose() throws {
        let plan = Self.plan()  // stop 95: risk 5 × 10 = 50
        let results = Self.run([
            Self.fill(.buy, 10, at: 100, commission: 1),
            Self.fill(.sell, 4, at: 110, commission: 1, seconds: 60),
            Self.fill(.sell, 6, at: 105, commission: 1, seconds: 120),
        ], plan: plan)
        let partial = try #require(results[1].entries.first)
        #expect(partial.exitPrice == nil && partial.closedAt == nil)
        #expect(results[1].open?.closedQuantity == 4)
        #expect(results[1].open?.remaining == 6)
        #expect(results[1].legs == [ExecutionLeg(entryID: partial.id, effect: .close, quantity: 4, price: 110)])
        let closed = try #require(results[2].entries.first)
        #expect(closed.exitPrice == 107)  // (4×110 + 6×105) / 10
        #expect(closed.closedAt == Self.t0.addingTimeInterval(120))
        #expect(closed.fees == 3)
        #expect(closed.metrics.grossPnL == 70)
        #expect(closed.metrics.pnl == 67)
        #expect(closed.metrics.rMultiple == Decimal(string: "1.34"))
        #expect(results[2].open == nil, "flat")
    }

    @Test("a fill larger than the position closes it and opens the other side with the rest; the commission is split by quantity")
    func flips() throws {
        let results = Self.run([Self.fill(.buy, 10, at: 100), Self.fill(.sell, 15, at: 102, commission: 3, seconds: 5)], plan: Self.plan())
        let flip = results[1]
        #expect(flip.entries.count == 2)
        let closed = flip.entries[0]
        let opened = flip.entries[1]
        #expect(closed.exitPrice == 102 && closed.fees == 2)  // 3 × 10/15
        #expect(closed.metrics.pnl == 18)
        #expect(opened.side == .short && opened.quantity == 5 && opened.entryPrice == 102 && opened.fees == 1)
        #expect(opened.stop == nil && opened.planID == nil, "the plan was for the long side")
        #expect(flip.legs.map(\.effect) == [.close, .open])
        #expect(flip.legs.map(\.quantity) == [10, 5])
        #expect(flip.open?.entry.id == opened.id)
        #expect(flip.open?.remaining == 5)
    }

    @Test("shorts: sell short opens, buy to cover closes, P&L is positive when the price falls")
    func short() throws {
        let plan = Self.plan(side: .short, stop: 105, targets: [90])
        let results = Self.run([Self.fill(.sellShort, 10, at: 100), Self.fill(.buyToCover, 10, at: 95, seconds: 30)], plan: plan)
        let entry = try #require(results[1].entries.first)
        #expect(entry.side == .short)
        #expect(entry.metrics.pnl == 50)
        #expect(entry.metrics.rMultiple == 1)
    }

    @Test("options: P&L and risk in contracts × 100")
    func options() throws {
        let option = Symbol(trusted: "AAPL260116C00200000")
        let plan = Self.plan(symbol: option, stop: Decimal(string: "1.50")!, targets: [4])
        let results = Self.run([
            Self.fill(.buyToOpen, 2, at: Decimal(string: "2.50")!, commission: Decimal(string: "1.30")!, symbol: option),
            Self.fill(.sellToClose, 2, at: Decimal(string: "3.10")!, commission: Decimal(string: "1.30")!, symbol: option, seconds: 60),
        ], plan: plan)
        let entry = try #require(results[1].entries.first)
        #expect(entry.assetClass == .option)
        #expect(entry.metrics.grossPnL == 120)  // 0.60 × 2 × 100
        #expect(entry.metrics.pnl == Decimal(string: "117.4"))
        #expect(entry.metrics.initialRisk == 200)  // 1.00 × 2 × 100
    }
}
