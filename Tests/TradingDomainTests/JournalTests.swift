import APIInput
import Foundation
import PropertyBased
import Testing
import TradingDomain

@Suite("Journal rules")
struct JournalTests {
    static let now = Date(epochMilliseconds: 1_780_000_000_000)

    static func body(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    static func entry(side: Side, entry: String, exit: String?, quantity: String, stop: String?, fees: String = "0",
                      asset: AssetClass = .equity) -> JournalEntry {
        JournalEntry(
            id: UUID(), symbol: Symbol(trusted: asset == .equity ? "AAPL" : "AAPL230616C00150000"), assetClass: asset,
            side: side, entryPrice: Decimal(string: entry)!, exitPrice: exit.map { Decimal(string: $0)! },
            quantity: Decimal(string: quantity)!, stop: stop.map { Decimal(string: $0)! }, targets: [],
            fees: Decimal(string: fees)!, tags: [], notes: "", openedAt: now, closedAt: exit == nil ? nil : now,
            source: .manual, planID: nil, createdAt: now, updatedAt: now)
    }

    @Test("long winner: P&L net of fees and R from the stop")
    func longWinner() {
        let metrics = Self.entry(side: .long, entry: "190.10", exit: "195.35", quantity: "100", stop: "187.10", fees: "1.20").metrics
        #expect(metrics.grossPnL == 525)
        #expect(metrics.pnl == Decimal(string: "523.8"))
        #expect(metrics.initialRisk == 300)
        #expect(metrics.rMultiple == Decimal(string: "1.75"))
        #expect(metrics.returnPct == Decimal(string: "2.76"))
    }

    @Test("short loser: negative P&L and R")
    func shortLoser() {
        let metrics = Self.entry(side: .short, entry: "250", exit: "254", quantity: "10", stop: "255").metrics
        #expect(metrics.pnl == -40)
        #expect(metrics.rMultiple == Decimal(string: "-0.8"))
    }

    @Test("options use the 100 multiplier")
    func optionMultiplier() {
        let metrics = Self.entry(side: .long, entry: "2.50", exit: "3.10", quantity: "3", stop: "1.90", fees: "1.95", asset: .option).metrics
        #expect(metrics.grossPnL == 180)
        #expect(metrics.pnl == Decimal(string: "178.05"))
        #expect(metrics.initialRisk == 180)
        #expect(metrics.rMultiple == Decimal(string: "0.99"))
    }

    @Test("open entries and entries without a stop have no R")
    func missingPieces() {
        let open = Self.entry(side: .long, entry: "10", exit: nil, quantity: "1", stop: "9").metrics
        #expect(open.pnl == nil)
        #expect(open.rMultiple == nil)
        #expect(open.initialRisk == 1)
        let noStop = Self.entry(side: .long, entry: "10", exit: "11", quantity: "1", stop: nil).metrics
        #expect(noStop.pnl == 1)
        #expect(noStop.rMultiple == nil)
    }

    @Test("decimal money never picks up binary rounding")
    func exactMoney() {
        let metrics = Self.entry(side: .long, entry: "0.1", exit: "0.3", quantity: "3", stop: nil).metrics
        #expect(metrics.pnl == Decimal(string: "0.6"))
        #expect("\(metrics.pnl!)" == "0.6")
    }

    @Test("create reports every problem at once")
    func createCollectsErrors() throws {
        let body = try Self.body(#"{"symbol":"1X","side":"up","entry_price":-1,"quantity":"a","fees":-1,"tags":["ok","bad tag!"],"x":1}"#)
        do {
            _ = try JournalInput.create(body, id: UUID(), now: Self.now)
            Issue.record("expected a validation failure")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["symbol", "side", "entry_price", "quantity", "fees", "tags[1]", "x"])
        }
    }

    @Test("an exit without a close time closes now; reopening clears the close time")
    func closeAndReopen() throws {
        let created = try JournalInput.create(
            try Self.body(#"{"symbol":"AAPL","side":"long","entry_price":10,"exit_price":11,"quantity":1}"#), id: UUID(), now: Self.now)
        #expect(created.closedAt == Self.now)
        #expect(created.status == .closed)
        let reopened = try JournalInput.update(created, patch: try Self.body(#"{"exit_price":null}"#), now: Self.now)
        #expect(reopened.closedAt == nil)
        #expect(reopened.status == .open)
    }

    @Test("cursor tokens round-trip and garbage is refused")
    func cursorTokens() {
        let cursor = PageCursor(timeMs: 1_780_000_000_123, id: UUID())
        #expect(PageCursor(token: cursor.token) == cursor)
        #expect(!cursor.token.contains("="))
        #expect(PageCursor(token: "zzz") == nil)
        #expect(PageCursor(token: "") == nil)
    }

    @Test("P&L sign follows the side: a favourable exit never loses before fees", .tags(.property))
    func pnlSignProperty() async {
        await propertyCheck(input: Gen.int(in: 1...100_000), Gen.int(in: 1...100_000), Gen.int(in: 1...1_000), Gen.bool) { entryCents, exitCents, quantity, isLong in
            let side: Side = isLong ? .long : .short
            let entry = Self.entry(side: side, entry: "\(Decimal(entryCents) / 100)", exit: "\(Decimal(exitCents) / 100)",
                                   quantity: "\(quantity)", stop: nil)
            let gross = entry.metrics.grossPnL!
            let move = (Decimal(exitCents) - Decimal(entryCents)) / 100 * Decimal(side.sign)
            #expect(gross == move * Decimal(quantity))
            #expect((gross > 0) == (move > 0))
        }
    }
}

extension Tag {
    @Tag static var property: Self
}
