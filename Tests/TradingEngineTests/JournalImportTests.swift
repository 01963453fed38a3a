import APIInput
import Foundation
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

@Suite("Journal import and export")
struct JournalImportTests {
    /// 2026-03-02 09:30 New York.
    static let start = Date(timeIntervalSince1970: 1_772_461_800)

    /// 200 fill lines (100 round trips on four symbols, an hour apart, each its own trade id),
    /// lines 13, 102 and 183 of the file broken in three different ways.
    static func twoHundredLines() -> String {
        var lines = ["fill_id,trade_id,time,symbol,side,quantity,price,commission,stop,tags"]
        let symbols = ["AAPL", "MSFT", "NVDA", "TSLA"]
        for trade in 0..<100 {
            let opened = start.addingTimeInterval(TimeInterval(trade * 3600))
            let symbol = symbols[trade % 4]
            let entry = Decimal(100 + trade % 7)
            let exit = entry + Decimal(trade % 3 - 1) * Decimal(string: "0.5")!
            let quantity = 10 + trade % 5
            let tag = trade % 2 == 0 ? "setup-a" : "setup-b"
            let id = { (leg: String) in trade % 2 == 0 ? "E\(trade)\(leg)" : "" }
            var open = "\(id("o")),T\(trade),\(ISO8601.format(opened)),\(symbol),buy,\(quantity),\(entry),1,\(entry - 1),\(tag)"
            var close = "\(id("c")),T\(trade),\(ISO8601.format(opened.addingTimeInterval(1800))),\(symbol),sell,\(quantity),\(exit),1,,"
            if trade == 5 { close = close.replacingOccurrences(of: ",sell,", with: ",hold,") }
            if trade == 50 { open = open.replacingOccurrences(of: ",buy,\(quantity),\(entry),", with: ",buy,\(quantity),abc,") }
            if trade == 90 { close = close.replacingOccurrences(of: ISO8601.format(opened.addingTimeInterval(1800)), with: "yesterday") }
            lines += [open, close]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func stats(_ repository: InMemoryJournalRepository) async throws -> JournalStats {
        JournalStats.compute(try await repository.all(matching: JournalQuery()), startingEquity: 10_000)
    }

    @Test("200 lines with 3 bad: the dry run lists them and writes nothing; the import adds 197, again 0; export → import → same stats")
    func importExportRoundTrip() async throws {
        let repository = InMemoryJournalRepository()
        let importer = JournalImporter(journal: repository, clock: ManualClock())
        let parsed = try JournalImportInput.parse(Self.twoHundredLines(), format: nil)
        #expect(parsed.format == .generic)

        let dry = try await importer.run(parsed, dryRun: true)
        #expect(dry.lines == 200)
        #expect(dry.errors.map(\.line) == [13, 102, 183])
        #expect(dry.errors[0].message.hasPrefix("side:"))
        #expect(dry.errors[1].message.hasPrefix("price:"))
        #expect(dry.errors[2].message.hasPrefix("time:"))
        #expect(dry.new == 197)
        #expect(!dry.trades.isEmpty)
        #expect(repository.count == 0, "a dry run writes nothing")

        let real = try await importer.run(parsed, dryRun: false)
        #expect(real.new == 197)
        #expect(real.duplicates == 0)
        #expect(real.errors.count == 3)
        #expect(repository.count == real.trades.count)
        #expect(real.trades.count == dry.trades.count)

        let again = try await importer.run(parsed, dryRun: false)
        #expect(again.new == 0)
        #expect(again.duplicates == 197)
        #expect(again.trades.isEmpty)
        #expect(repository.count == real.trades.count)

        let before = try await Self.stats(repository)
        // Two trades lost their close and one its open (its close opened a short): 97 closed, 3 open.
        #expect(before.trades == 97)
        #expect(before.openTrades == 3)
        let exported = JournalExport.csv(try await repository.all(matching: JournalQuery()))
        let empty = InMemoryJournalRepository()
        let reimport = try await JournalImporter(journal: empty, clock: ManualClock())
            .run(JournalImportInput.parse(exported, format: .generic), dryRun: false)
        #expect(reimport.errors.isEmpty, "\(reimport.errors)")
        let after = try await Self.stats(empty)
        #expect(after.trades == before.trades)
        #expect(after.openTrades == before.openTrades)
        #expect(after.wins == before.wins)
        #expect(after.totalPnL == before.totalPnL)
        #expect(after.totalFees == before.totalFees)
        #expect(after.expectancyR == before.expectancyR)
        #expect(after.profitFactor == before.profitFactor)
        #expect(after.maxDrawdown == before.maxDrawdown)
        #expect(after.bySymbol == before.bySymbol)
        #expect(after.byTag == before.byTag)
        #expect(after.byHour == before.byHour)
        #expect(after.rHistogram == before.rHistogram)
        #expect(after.equityCurve.map(\.cumulativePnL) == before.equityCurve.map(\.cumulativePnL))
    }

    @Test("fills of one symbol group into trades like live executions: scale in, scale out, P&L from the averages")
    func grouping() async throws {
        let csv = """
            time,symbol,side,quantity,price,commission,stop,tags
            2026-03-02 09:31:00,AAPL,buy,100,10.00,1,9.50,ORB
            2026-03-02 09:32:00,AAPL,buy,100,10.20,1,,
            2026-03-02 09:40:00,AAPL,sell,150,10.50,1,,
            2026-03-02 09:45:00,AAPL,sell,50,10.40,1,,
            """
        let repository = InMemoryJournalRepository()
        let report = try await JournalImporter(journal: repository, clock: ManualClock())
            .run(JournalImportInput.parse(csv, format: .generic), dryRun: false)
        #expect(report.new == 4)
        let trade = try #require(report.trades.first)
        #expect(report.trades.count == 1)
        #expect(trade.entryPrice == Decimal(string: "10.1"))
        #expect(trade.exitPrice == Decimal(string: "10.475"))
        #expect(trade.fees == 4)
        #expect(trade.metrics.pnl == 71)           // (10.475 − 10.10) × 200 − 4
        #expect(trade.stop == Decimal(string: "9.5"))
        #expect(trade.tags == ["orb"])
        #expect(trade.source == .imported)
        #expect(trade.openedAt == ISO8601.parse("2026-03-02T14:31:00Z"), "a time without a zone is New York time")
        let fills = try await repository.importedFills(entryID: trade.id)
        #expect(fills.map(\.quantity) == [100, 100, 150, 50])
    }

    @Test("a Tradier gain/loss file: one trade per closed position, options × 100, shorts from proceeds first")
    func tradierGainLoss() async throws {
        let csv = """
            Symbol,Quantity,Open Date,Close Date,Cost,Proceeds,Gain/Loss,Term
            AAPL260619C00200000,2,2026-03-02,2026-03-04,500.00,740.00,240.00,Short
            TSLA,-10,03/03/2026,03/03/2026,2540.00,2500.00,-40.00,Short
            MSFT,5,2026-03-05,bad,100,110,10,Short
            """
        let repository = InMemoryJournalRepository()
        let importer = JournalImporter(journal: repository, clock: ManualClock())
        let parsed = try JournalImportInput.parse(csv, format: nil)
        #expect(parsed.format == .tradierGainLoss)
        let report = try await importer.run(parsed, dryRun: false)
        #expect(report.new == 2)
        #expect(report.errors.map(\.line) == [4])
        let option = try #require(report.trades.first { $0.symbol.isOption })
        #expect(option.assetClass == .option)
        #expect(option.entryPrice == Decimal(string: "2.5"))
        #expect(option.exitPrice == Decimal(string: "3.7"))
        #expect(option.metrics.pnl == 240)
        #expect(MarketTime.day(of: option.closedAt!) == "2026-03-04")
        let short = try #require(report.trades.first { $0.symbol.rawValue == "TSLA" })
        #expect(short.side == .short)
        #expect(short.entryPrice == 250)
        #expect(short.exitPrice == 254)
        #expect(short.metrics.pnl == -40)
        #expect(try await importer.run(parsed, dryRun: false).duplicates == 2)
    }
}
