import Foundation
import Polygon
import Testing
import TradingDomain
import TradingEngine

@Suite("Polygon REST bodies")
struct PolygonRESTParserTests {
    @Test("single-ticker snapshot (lastTrade.c is null; ns timestamps)")
    func singleSnapshot() throws {
        let snapshots = try PolygonRESTParser.snapshots(PolygonFixtures.data("rest/snapshot-ticker-AAPL.json"))
        #expect(snapshots == [MarketSnapshot(
            symbol: sym("AAPL"), last: dec("159.99"), lastTime: PolygonTime.date(nanoseconds: 1_651_251_948_294_080_343),
            bid: dec("159.98"), ask: dec("159.99"), dayOpen: dec("161.84"), dayHigh: dec("166.2"),
            dayLow: dec("159.8"), dayVolume: dec("68840127"), previousClose: dec("163.64"),
            updated: PolygonTime.date(nanoseconds: 1_651_251_948_294_080_343))])
        // 2022-04-29 17:05:48.294080 UTC, microsecond-exact.
        #expect(us(snapshots.first?.lastTime) == 1_651_251_948_294_080)
        #expect(us(snapshots.first?.updated) == 1_651_251_948_294_080)
    }

    @Test("batched snapshot (plural tickers, no request_id)")
    func batchedSnapshot() throws {
        let snapshots = try PolygonRESTParser.snapshots(PolygonFixtures.data("rest/snapshot-tickers.json"))
        #expect(snapshots == [MarketSnapshot(
            symbol: sym("BCAT"), last: dec("20.506"), lastTime: PolygonTime.date(nanoseconds: 1_605_192_894_630_916_600),
            bid: dec("20.5"), ask: dec("20.6"), dayOpen: dec("20.64"), dayHigh: dec("20.64"), dayLow: dec("20.506"),
            dayVolume: dec("37216"), previousClose: dec("20.63"),
            updated: PolygonTime.date(nanoseconds: 1_605_192_894_630_916_600))])
    }

    @Test("gainers snapshot: several tickers, same shape")
    func gainers() throws {
        let snapshots = try PolygonRESTParser.snapshots(PolygonFixtures.data("rest/snapshot-gainers.json"))
        #expect(snapshots.map(\.symbol) == [sym("NVCN"), sym("BIOL")])
        #expect(snapshots.first?.last == dec("6.42"))
        #expect(snapshots.first?.previousClose == dec("0.29"))
        #expect(us(snapshots.first?.updated) == 1_651_251_360_000_000)
    }

    @Test("snapshot before the morning refill: zeros become nil, missing trade/quote tolerated")
    func clearedSnapshot() throws {
        let snapshots = try PolygonRESTParser.snapshots(body("""
            {"status":"DELAYED","tickers":[
             {"ticker":"AAPL","day":{"o":0,"h":0,"l":0,"c":0,"v":0,"vw":0},"prevDay":{"c":170.25},"updated":0},
             {"ticker":"MSFT","day":{"o":400,"h":401.5,"l":399.25,"c":400.75,"v":1200},
              "lastQuote":{"P":0,"S":0,"p":0,"s":0,"t":1700000000000000000},"updated":1700000001000000000},
             {"ticker":"BAD TICKER"},
             {"ticker":"TSLA","day":{"o":"bad"}}]}
            """))
        #expect(snapshots == [
            MarketSnapshot(symbol: sym("AAPL"), dayVolume: 0, previousClose: dec("170.25"),
                           updated: Date(timeIntervalSince1970: 0)),
            MarketSnapshot(symbol: sym("MSFT"), last: dec("400.75"), dayOpen: 400, dayHigh: dec("401.5"),
                           dayLow: dec("399.25"), dayVolume: 1200, updated: PolygonTime.date(nanoseconds: 1_700_000_001_000_000_000)),
        ])
    }

    @Test("an empty or absent tickers list is empty; all-unreadable is malformed")
    func snapshotEdges() throws {
        #expect(try PolygonRESTParser.snapshots(body(#"{"status":"OK","count":0,"tickers":[]}"#)) == [])
        #expect(try PolygonRESTParser.snapshots(body(#"{"status":"OK"}"#)) == [])
        #expect(throws: MarketDataError.malformed("snapshot: no readable ticker (missing 'tickers[0].ticker')")) {
            try PolygonRESTParser.snapshots(body(#"{"status":"OK","tickers":[{"day":{}}]}"#))
        }
    }

    @Test("previous close: one daily bar, float volume exact, re-stamped 00:00 New York")
    func previousClose() throws {
        let bar = try PolygonRESTParser.previousClose(PolygonFixtures.data("rest/prev-AAPL.json"))
        // Polygon's t = 1651003200000 = 2022-04-26 16:00 EDT; 00:00 EDT that day = 1650945600000.
        #expect(bar == Bar(
            symbol: sym("AAPL"), timespan: .day, start: PolygonTime.date(milliseconds: 1_650_945_600_000),
            open: dec("162.25"), high: dec("162.34"), low: dec("156.72"), close: dec("156.8"),
            volume: dec("95595226"), vwap: dec("158.6074")))
        #expect(try PolygonRESTParser.previousClose(body(#"{"status":"OK","resultsCount":0,"results":[]}"#)) == nil)
        #expect(try PolygonRESTParser.previousClose(body(#"{"status":"OK","results":null}"#)) == nil)
    }

    @Test("range: daily bars at 00:00 New York (EST and EDT), exact decimals")
    func range() throws {
        let page = try PolygonRESTParser.bars(
            PolygonFixtures.data("rest/range-AAPL-1-day-2005-04-01-2005-04-04.json"), symbol: sym("AAPL"), timespan: .day)
        #expect(page.nextURL == nil)
        #expect(page.skipped == 0)
        #expect(page.bars == [
            Bar(symbol: sym("AAPL"), timespan: .day, start: PolygonTime.date(milliseconds: 1_112_331_600_000),
                open: dec("1.5032"), high: dec("1.5064"), low: dec("1.4489"), close: dec("1.4604"),
                volume: dec("642646396"), vwap: dec("1.469")),
            Bar(symbol: sym("AAPL"), timespan: .day, start: PolygonTime.date(milliseconds: 1_112_587_200_000),
                open: dec("1.4639"), high: dec("1.4754"), low: dec("1.4343"), close: dec("1.4675"),
                volume: dec("578172308"), vwap: dec("1.4589")),
        ])
    }

    @Test("range with next_url (spec example) and a skipped bad bar")
    func rangePaging() throws {
        let page = try PolygonRESTParser.bars(body("""
            {"adjusted":true,
             "next_url":"https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw",
             "queryCount":2,"request_id":"6a7e466379af0a71039d60cc78e72282",
             "results":[{"c":75.0875,"h":75.15,"l":73.7975,"n":1,"o":74.06,"t":1577941200000,"v":135647456,"vw":74.6099},
                        {"c":74.3575,"h":75.145,"l":74.125,"n":1,"o":74.2875,"t":1578027600000,"v":146535512,"vw":74.7026},
                        {"c":1,"h":1,"l":1,"o":1,"v":1}],
             "resultsCount":2,"status":"OK","ticker":"AAPL"}
            """), symbol: sym("AAPL"), timespan: .day)
        #expect(page.nextURL
            == "https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw")
        #expect(page.bars.map(\.close) == [dec("75.0875"), dec("74.3575")])
        #expect(page.bars.map(\.low) == [dec("73.7975"), dec("74.125")])
        #expect(page.skipped == 1)
        #expect(page.problems == ["missing 'results[2].t'"])
    }

    @Test("range with results null, absent or empty, and DELAYED status", arguments: [
        #"{"status":"OK","queryCount":0,"resultsCount":0,"adjusted":true,"results":null}"#,
        #"{"status":"OK","queryCount":0,"resultsCount":0,"adjusted":true}"#,
        #"{"status":"DELAYED","ticker":"NVDA","results":[],"next_url":""}"#,
    ])
    func emptyRange(json: String) throws {
        let page = try PolygonRESTParser.bars(body(json), symbol: sym("NVDA"), timespan: .minute)
        #expect(page == PolygonBarsPage(bars: []))
    }

    @Test("DELAYED is a success and minute bars keep ms starts")
    func delayedMinuteBars() throws {
        let page = try PolygonRESTParser.bars(body("""
            {"ticker":"NVDA","queryCount":1,"resultsCount":1,"adjusted":true,
             "results":[{"v":1.0E3,"vw":450.1234,"o":450.12,"c":450.13,"h":450.2,"l":450.01,"t":1700000040000,"n":7}],
             "status":"DELAYED","request_id":"02e6f747fd361a9178f09169e300452d","count":1}
            """), symbol: sym("NVDA"), timespan: .minute)
        #expect(page.bars == [Bar(
            symbol: sym("NVDA"), timespan: .minute, start: PolygonTime.date(milliseconds: 1_700_000_040_000),
            open: dec("450.12"), high: dec("450.2"), low: dec("450.01"), close: dec("450.13"),
            volume: dec("1000"), vwap: dec("450.1234"))])
        #expect(ms(page.bars.first?.start) == 1_700_000_040_000)
    }

    @Test("last trade (ns timestamps)")
    func lastTrade() throws {
        let trade = try PolygonRESTParser.lastTrade(PolygonFixtures.data("rest/last-trade-AAPL.json"))
        #expect(trade == Trade(symbol: sym("AAPL"), price: dec("166.25"), size: 2,
                               time: PolygonTime.date(nanoseconds: 1_651_179_319_310_617_300)))
        #expect(us(trade.time) == 1_651_179_319_310_617)
    }

    @Test("last NBBO: p/s bid, P/S ask")
    func lastQuote() throws {
        let quote = try PolygonRESTParser.lastQuote(PolygonFixtures.data("rest/last-nbbo-AAPL.json"))
        #expect(quote == BidAsk(symbol: sym("AAPL"), bid: dec("155.65"), bidSize: 1, ask: dec("155.66"), askSize: 14,
                                time: PolygonTime.date(nanoseconds: 1_652_192_754_171_838_500)))
        #expect(us(quote.time) == 1_652_192_754_171_839)
    }

    @Test("every REST price and size is decoded exactly (digits a Double cannot hold)")
    func decimalExactness() throws {
        let x = "100.00000000000000000123"
        let value = dec(x)
        let snapshots = try PolygonRESTParser.snapshots(body("""
            {"status":"OK","ticker":{"ticker":"A","day":{"o":\(x),"h":\(x),"l":\(x),"c":\(x),"v":\(x)},
             "lastQuote":{"P":\(x),"S":1,"p":\(x),"s":1,"t":1},"lastTrade":{"p":\(x),"s":1,"t":1},
             "prevDay":{"c":\(x)},"updated":1}}
            """))
        #expect(snapshots == [MarketSnapshot(
            symbol: sym("A"), last: value, lastTime: PolygonTime.date(nanoseconds: 1), bid: value, ask: value,
            dayOpen: value, dayHigh: value, dayLow: value, dayVolume: value, previousClose: value,
            updated: PolygonTime.date(nanoseconds: 1))])
        let bars = try PolygonRESTParser.bars(
            body(#"{"status":"OK","results":[{"o":\#(x),"h":\#(x),"l":\#(x),"c":\#(x),"v":\#(x),"vw":\#(x),"t":0}]}"#),
            symbol: sym("A"), timespan: .minute)
        #expect(bars.bars == [Bar(symbol: sym("A"), timespan: .minute, start: PolygonTime.date(milliseconds: 0),
                                  open: value, high: value, low: value, close: value, volume: value, vwap: value)])
        let trade = try PolygonRESTParser.lastTrade(body(#"{"status":"OK","results":{"T":"A","p":\#(x),"s":\#(x),"t":1}}"#))
        #expect(trade.price == value && trade.size == value)
        let quote = try PolygonRESTParser.lastQuote(
            body(#"{"status":"OK","results":{"T":"A","p":\#(x),"s":\#(x),"P":\#(x),"S":\#(x),"t":1}}"#))
        #expect(quote == BidAsk(symbol: sym("A"), bid: value, bidSize: value, ask: value, askSize: value,
                                time: PolygonTime.date(nanoseconds: 1)))
    }

    @Test("market status now")
    func marketStatus() throws {
        let status = try PolygonRESTParser.marketStatus(PolygonFixtures.data("rest/marketstatus-now.json"))
        #expect(status.market == .extendedHours)
        #expect(status.earlyHours == false && status.afterHours == true)
        #expect(ms(status.serverTime) == 1_651_178_888_000)  // 2022-04-28T16:48:08-04:00
        #expect(status.exchanges == ["nyse": "extended-hours", "nasdaq": "extended-hours", "otc": "extended-hours"])
        #expect(try PolygonRESTParser.marketStatus(body(#"{"market":"open"}"#)).market == .open)
        #expect(try PolygonRESTParser.marketStatus(body(#"{"market":"closed"}"#)).market == .closed)
        #expect(try PolygonRESTParser.marketStatus(body(#"{"market":"weird"}"#)).market == .other("weird"))
    }

    @Test("market holidays, with early-close times")
    func marketHolidays() throws {
        let days = try PolygonRESTParser.marketHolidays(PolygonFixtures.data("rest/marketstatus-upcoming.json"))
        #expect(days.count == 14)
        #expect(days.first == PolygonMarketHoliday(
            exchange: "NYSE", name: "Memorial Day", date: "2022-05-30", status: "closed", open: nil, close: nil))
        let early = try #require(days.first { $0.status == "early-close" })
        #expect(early.date == "2022-11-25")
        #expect(ms(early.open) == 1_669_386_600_000 && ms(early.close) == 1_669_399_200_000)
    }
}
