import Foundation
import PropertyBased
import Testing
import TradingDomain

@Suite("Journal statistics")
struct JournalStatsTests {
    static let start = Date(epochMilliseconds: 1_780_000_000_000)

    /// An equity entry closed `day` days after `start` (open when `exit` is nil).
    static func trade(
        _ symbol: String, _ side: Side = .long, entry: Decimal, exit: Decimal?, quantity: Decimal,
        stop: Decimal? = nil, fees: Decimal = 0, tags: [String] = [], day: Int, id: UUID = UUID()
    ) -> JournalEntry {
        let closed = start.addingTimeInterval(Double(day) * 86_400)
        return JournalEntry(
            id: id, symbol: Symbol(trusted: symbol), assetClass: .equity, side: side, entryPrice: entry,
            exitPrice: exit, quantity: quantity, stop: stop, targets: [], fees: fees, tags: tags, notes: "",
            openedAt: start, closedAt: exit == nil ? nil : closed, source: .manual, planID: nil,
            createdAt: start, updatedAt: start)
    }

    /// Five closed trades and one open one, given out of order.
    ///
    /// | # | trade                                         | P&L  | risk | R    | tags            |
    /// |---|-----------------------------------------------|------|------|------|-----------------|
    /// | 1 | AAPL long 10 @100 → 110, stop 95              | +100 | 50   | 2    | breakout        |
    /// | 2 | MSFT long 20 @50 → 47, stop 48                | −60  | 40   | −1.5 | breakout, gap   |
    /// | 3 | AAPL short 10 @200 → 204, stop 205            | −40  | 50   | −0.8 | gap             |
    /// | 4 | TSLA long 100 @20 → 20, no stop               | 0    | –    | –    | –               |
    /// | 5 | MSFT long 25 @30 → 36, stop 28, fees 10       | +140 | 50   | 2.8  | breakout        |
    /// | – | AAPL long 5 @10, open                         | –    |      |      |                 |
    static let example: [JournalEntry] = [
        trade("MSFT", entry: 30, exit: 36, quantity: 25, stop: 28, fees: 10, tags: ["breakout"], day: 5),
        trade("AAPL", entry: 10, exit: nil, quantity: 5, stop: 9, tags: ["breakout"], day: 6),
        trade("AAPL", .short, entry: 200, exit: 204, quantity: 10, stop: 205, tags: ["gap"], day: 3),
        trade("AAPL", entry: 100, exit: 110, quantity: 10, stop: 95, tags: ["breakout"], day: 1),
        trade("TSLA", entry: 20, exit: 20, quantity: 100, day: 4),
        trade("MSFT", entry: 50, exit: 47, quantity: 20, stop: 48, tags: ["breakout", "gap"], day: 2),
    ]

    @Test("worked example: counts, averages, expectancy, R and profit factor")
    func workedExample() {
        let stats = JournalStats.compute(Self.example)
        #expect(stats.trades == 5)
        #expect(stats.openTrades == 1)
        #expect((stats.wins, stats.losses, stats.breakeven) == (2, 2, 1))
        #expect(stats.winRate == Decimal(string: "0.4"))          // 2 ÷ 5
        #expect(stats.averageWin == 120)                          // (100 + 140) ÷ 2
        #expect(stats.averageLoss == -50)                         // (−60 − 40) ÷ 2
        #expect(stats.largestWin == 140)
        #expect(stats.largestLoss == -60)
        #expect(stats.totalPnL == 140)                            // 100 − 60 − 40 + 0 + 140
        #expect(stats.totalFees == 10)
        #expect(stats.expectancy == 28)                           // 140 ÷ 5
        #expect(stats.rTrades == 4)                               // TSLA has no stop
        #expect(stats.expectancyR == Decimal(string: "0.63"))     // (2 − 1.5 − 0.8 + 2.8) ÷ 4 = 0.625
        #expect(stats.averageR == stats.expectancyR)
        #expect(stats.profitFactor == Decimal(string: "2.4"))     // 240 ÷ 100
    }

    @Test("worked example: equity curve and drawdown")
    func workedCurve() throws {
        // Cumulative 100, 40, 0, 0, 140; peak 100 until the last; drawdown 0, 60, 100, 100, 0.
        let stats = JournalStats.compute(Self.example, startingEquity: 1_000)
        #expect(stats.equityCurve.map(\.pnl) == [100, -60, -40, 0, 140])
        #expect(stats.equityCurve.map(\.cumulativePnL) == [100, 40, 0, 0, 140])
        #expect(stats.equityCurve.map(\.equity) == [1_100, 1_040, 1_000, 1_000, 1_140])
        #expect(stats.equityCurve.map(\.drawdown) == [0, 60, 100, 100, 0])
        #expect(stats.equityCurve.map(\.time) == (1...5).map { Self.start.addingTimeInterval(Double($0) * 86_400) })
        #expect(stats.maxDrawdown == 100)
        #expect(stats.maxDrawdownPct == Decimal(string: "9.09"))  // 100 ÷ (1,000 + 100) = 9.0909 %
        let plain = JournalStats.compute(Self.example)
        #expect(plain.equityCurve.allSatisfy { $0.equity == nil })
        #expect(plain.maxDrawdownPct == nil)
        #expect(plain.maxDrawdown == 100)
    }

    @Test("worked example: groups by symbol and by tag")
    func workedGroups() {
        let stats = JournalStats.compute(Self.example)
        let d = { (text: String) in Decimal(string: text)! }
        #expect(stats.bySymbol == [
            // AAPL: +100 (2R), −40 (−0.8R) → R (2 − 0.8) ÷ 2 = 0.6, PF 100 ÷ 40 = 2.5
            "AAPL": JournalStatsGroup(trades: 2, wins: 1, winRate: d("0.5"), totalPnL: 60, expectancyR: d("0.6"), profitFactor: d("2.5")),
            // MSFT: −60 (−1.5R), +140 (2.8R) → R 1.3 ÷ 2 = 0.65, PF 140 ÷ 60 = 2.3333
            "MSFT": JournalStatsGroup(trades: 2, wins: 1, winRate: d("0.5"), totalPnL: 80, expectancyR: d("0.65"), profitFactor: d("2.3333")),
            // TSLA: breakeven without a stop → no R, no losses → no PF
            "TSLA": JournalStatsGroup(trades: 1, wins: 0, winRate: 0, totalPnL: 0, expectancyR: nil, profitFactor: nil),
        ])
        #expect(stats.byTag == [
            // breakout: #1, #2, #5 → 2 of 3 won, R (2 − 1.5 + 2.8) ÷ 3 = 1.1, PF 240 ÷ 60 = 4 (open #6 ignored)
            "breakout": JournalStatsGroup(trades: 3, wins: 2, winRate: d("0.6667"), totalPnL: 180, expectancyR: d("1.1"), profitFactor: 4),
            // gap: #2, #3 → R (−1.5 − 0.8) ÷ 2 = −1.15, PF 0 ÷ 100 = 0
            "gap": JournalStatsGroup(trades: 2, wins: 0, winRate: 0, totalPnL: -100, expectancyR: d("-1.15"), profitFactor: 0),
        ])
    }

    @Test("no entries, or only open ones: zero counts and nil ratios")
    func empty() {
        for entries in [[], [Self.trade("AAPL", entry: 10, exit: nil, quantity: 1, day: 0)]] {
            let stats = JournalStats.compute(entries, startingEquity: 500)
            #expect(stats.trades == 0)
            #expect(stats.openTrades == entries.count)
            #expect(stats.winRate == nil && stats.expectancy == nil && stats.expectancyR == nil)
            #expect(stats.averageWin == nil && stats.averageLoss == nil && stats.profitFactor == nil)
            #expect(stats.largestWin == nil && stats.largestLoss == nil)
            #expect(stats.totalPnL == 0 && stats.totalFees == 0 && stats.maxDrawdown == 0)
            #expect(stats.maxDrawdownPct == 0)
            #expect(stats.equityCurve.isEmpty && stats.bySymbol.isEmpty && stats.byTag.isEmpty)
        }
    }

    @Test("all wins: no profit factor, no drawdown, win rate 1")
    func allWins() {
        let stats = JournalStats.compute([
            Self.trade("AAPL", entry: 10, exit: 12, quantity: 10, day: 1),
            Self.trade("AAPL", .short, entry: 10, exit: Decimal(string: "9.5")!, quantity: 10, day: 2),
        ])
        #expect(stats.wins == 2 && stats.losses == 0)
        #expect(stats.winRate == 1)
        #expect(stats.profitFactor == nil)
        #expect(stats.averageLoss == nil)
        #expect(stats.averageWin == Decimal(string: "12.5"))  // (20 + 5) ÷ 2
        #expect(stats.maxDrawdown == 0)
        // No stops: no R at all.
        #expect(stats.rTrades == 0 && stats.expectancyR == nil && stats.averageR == nil)
    }

    @Test("a first losing trade is a drawdown from the start; pct uses starting equity")
    func drawdownFromStart() {
        // −50, then +20: cumulative −50, −30; peak stays 0 → drawdown 50 ÷ 1,000 = 5 %.
        let stats = JournalStats.compute([
            Self.trade("AAPL", entry: 10, exit: 5, quantity: 10, day: 1),
            Self.trade("AAPL", entry: 10, exit: 12, quantity: 10, day: 2),
        ], startingEquity: 1_000)
        #expect(stats.equityCurve.map(\.drawdown) == [50, 30])
        #expect(stats.maxDrawdown == 50)
        #expect(stats.maxDrawdownPct == 5)
    }

    @Test("trades closed at the same time are ordered by id")
    func tiesOrderedByID() throws {
        let low = try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000001"))
        let high = try #require(UUID(uuidString: "F0000000-0000-0000-0000-000000000000"))
        let entries = [
            Self.trade("AAPL", entry: 10, exit: 11, quantity: 1, day: 1, id: high),
            Self.trade("MSFT", entry: 10, exit: 9, quantity: 1, day: 1, id: low),
        ]
        let stats = JournalStats.compute(entries)
        #expect(stats.equityCurve.map(\.entryID) == [low, high])
        #expect(stats.equityCurve.map(\.cumulativePnL) == [-1, 0])
        #expect(stats == JournalStats.compute(entries.reversed()))
    }

    @Test("JSON: snake_case keys, explicit nulls, exact decimals")
    func encoding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(JournalStats.compute(Self.example)), as: UTF8.self)
        for fragment in [
            #""win_rate":0.4"#, #""average_win":120"#, #""average_loss":-50"#, #""expectancy_r":0.63"#,
            #""average_r":0.63"#, #""profit_factor":2.4"#, #""max_drawdown":100"#, #""max_drawdown_pct":null"#,
            #""total_pnl":140"#, #""open_trades":1"#, #""r_trades":4"#, #""by_symbol":{"AAPL":"#,
            #""by_tag":{"breakout":"#, #""equity":null"#, #""cumulative_pnl":100"#, #""starting_equity":null"#,
        ] {
            #expect(text.contains(fragment), "missing \(fragment)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let point = try #require((object["equity_curve"] as? [[String: Any]])?.first)
        #expect(Set(point.keys) == ["entry_id", "time", "pnl", "cumulative_pnl", "equity", "drawdown"])
    }

    // MARK: properties

    /// A random trade (open in about one case of seven) plus a random sort key to permute the input with.
    static var trades: Generator<[(entry: JournalEntry, order: Int)], some SendableSequenceType> {
        zip(
            Gen.int(in: 100...50_000), Gen.int(in: -5_000...5_000), Gen.int(in: 1...200),
            Gen.int(in: 1...2_000).optional, Gen.int(in: 0...500), Gen<Side>.case,
            Gen.int(in: 0...2), Gen.int(in: 0...7),
            zip(Gen.int(in: 0...20), Gen.int(in: 0...6), Gen.int(in: 0...Int.max), Gen.int(in: 0...Int.max))
        ).map { entryCents, moveCents, quantity, stopCents, feeCents, side, symbol, tagMask, rest in
            let (minute, openRoll, idBits, order) = rest
            let entry = Decimal(entryCents) / 100
            let stop = stopCents.map { entry + Decimal(side == .long ? -$0 : $0) / 100 }.flatMap { $0 > 0 ? $0 : nil }
            let exit = openRoll == 0 ? nil : Decimal(max(1, entryCents + moveCents)) / 100
            let tags = ["a", "b", "c"].enumerated().filter { tagMask & (1 << $0.offset) != 0 }.map(\.element)
            var entryValue = trade(
                ["AAA", "BBB", "CCC"][symbol], side, entry: entry, exit: exit, quantity: Decimal(quantity),
                stop: stop, fees: Decimal(feeCents) / 100, tags: tags, day: 0, id: UUID())
            entryValue.closedAt = exit == nil ? nil : start.addingTimeInterval(Double(minute) * 60)
            return (entryValue, order, idBits)
        }.array(of: 0...25).map { items in
            // Random ids (so id order is not input order), made unique by the item's index in the last byte.
            items.enumerated().map { index, item in
                var entry = item.0
                entry.id = uuid(item.2, index: index)
                return (entry, item.1)
            }
        }
    }

    static func uuid(_ bits: Int, index: Int) -> UUID {
        let b = withUnsafeBytes(of: UInt64(bits).bigEndian, Array.init)
        return UUID(uuid: (b[1], b[2], b[3], b[4], b[5], b[6], 0x40, b[7], 0x80, 0, 0, 0, 0, 0, 0, UInt8(index)))
    }

    @Test func totalPnLIsTheLastCurvePointAndTheSumOfClosedPnL() async {
        await propertyCheck(count: 300, input: Self.trades) { cases in
            let entries = cases.map(\.entry)
            let stats = JournalStats.compute(entries)
            #expect(stats.totalPnL == (stats.equityCurve.last?.cumulativePnL ?? 0))
            #expect(stats.totalPnL == entries.compactMap(\.metrics.pnl).reduce(0, +))
            #expect(stats.equityCurve.count == stats.trades)
        }
    }

    @Test func maxDrawdownIsBetweenZeroAndTheSumOfLosses() async {
        await propertyCheck(count: 300, input: Self.trades) { cases in
            let entries = cases.map(\.entry)
            let stats = JournalStats.compute(entries, startingEquity: 10_000)
            let lossMagnitudes = entries.compactMap(\.metrics.pnl).filter { $0 < 0 }.reduce(0) { $0 - $1 }
            #expect(stats.maxDrawdown >= 0)
            #expect(stats.maxDrawdown <= lossMagnitudes)
            #expect(stats.maxDrawdown == (stats.equityCurve.map(\.drawdown).max() ?? 0))
            // Losses may exceed the starting equity, so the percent is not capped at 100.
            // A drawdown under 0.005 % of equity rounds to 0.00 %; no drawdown is always 0.
            #expect(stats.maxDrawdownPct.map { $0 >= 0 && (stats.maxDrawdown != 0 || $0 == 0) } == true)
        }
    }

    @Test func countsAddUp() async {
        await propertyCheck(count: 300, input: Self.trades) { cases in
            let stats = JournalStats.compute(cases.map(\.entry))
            #expect(stats.wins + stats.losses + stats.breakeven == stats.trades)
            #expect(stats.trades + stats.openTrades == cases.count)
            #expect(stats.rTrades <= stats.trades)
            #expect(stats.bySymbol.values.map(\.trades).reduce(0, +) == stats.trades)
            if let rate = stats.winRate { #expect(rate >= 0 && rate <= 1) }
        }
    }

    @Test func inputOrderDoesNotMatter() async {
        await propertyCheck(count: 300, input: Self.trades) { cases in
            let entries = cases.map(\.entry)
            let stats = JournalStats.compute(entries, startingEquity: 25_000)
            let shuffled = cases.sorted { $0.order < $1.order }.map(\.entry)
            #expect(JournalStats.compute(shuffled, startingEquity: 25_000) == stats)
            #expect(JournalStats.compute(entries.reversed(), startingEquity: 25_000) == stats)
            let byID = entries.sorted { $0.id.uuidString < $1.id.uuidString }
            #expect(JournalStats.compute(byID, startingEquity: 25_000) == stats)
        }
    }
}
