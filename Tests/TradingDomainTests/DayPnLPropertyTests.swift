import Foundation
import PropertyBased
import Testing
import TradingDomain

/// A random day of one symbol: an overnight quantity (either side), today's fills (buys and sells,
/// flips allowed), the previous close and the last price. Prices in cents, so everything is exact.
private struct DayCase: Sendable, CustomStringConvertible {
    var option: Bool
    var overnight: Int
    /// (signed quantity ≠ 0, price in cents)
    var fills: [(quantity: Int, cents: Int)]
    var closeCents: Int
    var lastCents: Int
    /// Drives the shuffles and splits.
    var seed: UInt64

    var symbol: Symbol { Symbol(trusted: option ? "XYZ261218C00050000" : "XYZ") }
    var multiplier: Decimal { option ? 100 : 1 }
    var close: Decimal { Decimal(closeCents) / 100 }
    var last: Decimal { Decimal(lastCents) / 100 }
    var quantityNow: Decimal { Decimal(overnight + fills.reduce(0) { $0 + $1.quantity }) }

    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    func dayFills(_ list: [(quantity: Int, cents: Int)]) -> [DayFill] {
        list.enumerated().map { index, item in
            DayFill(symbol: symbol, quantity: Decimal(item.quantity), price: Decimal(item.cents) / 100,
                    time: Self.start.addingTimeInterval(Double(index)))
        }
    }

    func pnl(_ list: [(quantity: Int, cents: Int)], quantity: Decimal? = nil, close: Decimal? = nil, last: Decimal? = nil) -> DayPnL {
        let day = DayActivity(fills: dayFills(list), previousCloses: [symbol: close ?? self.close])
        return day.pnl(symbol: symbol, quantity: quantity ?? quantityNow, averagePrice: 1, last: last ?? self.last)
    }

    /// The broker's identity, independent of any lot rule: the day's change in market value less
    /// the cash the day's trades cost.
    var markToMarket: Decimal {
        let cash = fills.reduce(Decimal(0)) { $0 + Decimal($1.quantity) * Decimal($1.cents) / 100 }
        return (last * quantityNow - close * Decimal(overnight) - cash) * multiplier
    }

    var description: String {
        "\(option ? "option" : "equity") overnight \(overnight) fills \(fills) close \(closeCents)c last \(lastCents)c seed \(seed)"
    }
}

/// SplitMix64: a small deterministic generator for shuffles and splits.
private struct Mix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

private enum DayGen {
    static var fill: Generator<(quantity: Int, cents: Int), some SendableSequenceType> {
        zip(Gen.int(in: 1...400), Gen.bool, Gen.int(in: 1...50_000)).map { size, buy, cents in (buy ? size : -size, cents) }
    }

    static var day: Generator<DayCase, some SendableSequenceType> {
        zip(Gen.bool, Gen.int(in: -500...500), fill.array(of: 0...12), Gen.int(in: 1...50_000), Gen.int(in: 1...50_000),
            Gen.int(in: 0...Int.max)
        ).map { option, overnight, fills, close, last, seed in
            DayCase(option: option, overnight: overnight, fills: fills, closeCents: close, lastCents: last, seed: UInt64(seed))
        }
    }
}

@Suite("Day P&L: properties")
struct DayPnLPropertyTests {
    @Test("the total is the day's mark-to-market: value now − value at the previous close − cash paid today")
    func totalIsMarkToMarket() async {
        await propertyCheck(count: 500, input: DayGen.day) { item in
            #expect(item.pnl(item.fills).total == item.markToMarket)
        }
    }

    @Test("the fills in any order give the same total (only realised and unrealised trade places)")
    func anyOrderSameTotal() async {
        await propertyCheck(count: 400, input: DayGen.day) { item in
            var mix = Mix(state: item.seed)
            var shuffled = item.fills
            for index in shuffled.indices.reversed() where index > 0 { shuffled.swapAt(index, mix.below(index + 1)) }
            #expect(item.pnl(shuffled).total == item.pnl(item.fills).total)
        }
    }

    @Test("splitting fills into smaller lots at the same price changes neither the realised nor the unrealised part")
    func splittingLots() async {
        await propertyCheck(count: 400, input: DayGen.day) { item in
            var mix = Mix(state: item.seed)
            var split: [(quantity: Int, cents: Int)] = []
            for fill in item.fills {
                var left = abs(fill.quantity)
                let sign = fill.quantity > 0 ? 1 : -1
                while left > 0 {
                    let part = 1 + mix.below(left)
                    split.append((part * sign, fill.cents))
                    left -= part
                }
            }
            let whole = item.pnl(item.fills), parts = item.pnl(split)
            #expect(parts.realized == whole.realized)
            #expect(parts.unrealized == whole.unrealized)
        }
    }

    @Test("bought and sold the same shares today: realised intraday only, whatever the previous close and last")
    func intradayRoundTrip() async {
        await propertyCheck(count: 400, input: DayGen.day, Gen.int(in: 1...50_000), Gen.int(in: 1...50_000)) { item, buyCents, sellCents in
            let shares = max(1, abs(item.overnight))
            let trades = [(quantity: shares, cents: buyCents), (quantity: -shares, cents: sellCents)]
            let day = DayActivity(fills: item.dayFills(trades), previousCloses: [item.symbol: item.close])
            let pnl = day.pnl(symbol: item.symbol, quantity: 0, averagePrice: nil, last: item.last)
            #expect(pnl.realized == Decimal(sellCents - buyCents) / 100 * Decimal(shares) * item.multiplier)
            #expect(pnl.unrealized == 0)
            #expect(pnl.overnightQuantity == 0)
        }
    }

    @Test("a flat day (no trades, last = previous close) is 0 on either side")
    func flatDay() async {
        await propertyCheck(count: 300, input: DayGen.day) { item in
            let pnl = item.pnl([], quantity: Decimal(item.overnight), last: item.close)
            #expect(pnl.total == 0)
            #expect(pnl.overnightQuantity == Decimal(item.overnight))
        }
    }

    @Test("shorts are symmetric: the mirrored book has the opposite realised and unrealised P&L")
    func shortsSymmetric() async {
        await propertyCheck(count: 400, input: DayGen.day) { item in
            var mirrored = item
            mirrored.overnight = -item.overnight
            mirrored.fills = item.fills.map { (-$0.quantity, $0.cents) }
            let long = item.pnl(item.fills), short = mirrored.pnl(mirrored.fills)
            #expect(short.realized == -long.realized)
            #expect(short.unrealized == -long.unrealized)
        }
    }

    @Test("overnight shares alone move with last − previous close, not with the entry price")
    func overnightOnly() async {
        await propertyCheck(count: 300, input: DayGen.day, Gen.int(in: 1...50_000)) { item, entryCents in
            let day = DayActivity(previousCloses: [item.symbol: item.close])
            let pnl = day.pnl(symbol: item.symbol, quantity: Decimal(item.overnight), averagePrice: Decimal(entryCents) / 100, last: item.last)
            #expect(pnl.total == (item.last - item.close) * Decimal(item.overnight) * item.multiplier)
            #expect(pnl.realized == 0)
        }
    }
}
