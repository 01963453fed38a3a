import Foundation
import Polygon
import Testing
import TradingDomain

@Suite("Polygon stream frames")
struct PolygonStreamParserTests {
    @Test("the recorded session parses frame by frame with exact values")
    func recordedSession() throws {
        let frames = try PolygonFixtures.sessionFrames().map(PolygonStreamParser.parse(frame:))
        try #require(frames.count == 8)
        for frame in frames {
            #expect(frame.malformed == 0)
            #expect(frame.unknownEvents == 0)
        }
        #expect(frames[0].statuses == [.connected])
        #expect(frames[1].statuses == [.authSuccess])
        #expect(frames[2].statuses == [.subscribed(topics: ["T.AAPL"])])
        #expect(frames[0].events.isEmpty && frames[1].events.isEmpty && frames[2].events.isEmpty)

        // Single trade; WS `t` is Unix ms.
        #expect(frames[3].events == [.trade(Trade(
            symbol: sym("AAPL"), price: dec("161.87"), size: dec("300"),
            time: PolygonTime.date(milliseconds: 1_651_684_192_462)))])
        #expect(ms(frames[3].events.first?.time) == 1_651_684_192_462)

        // Batched frame: two trades, the second without `c`. The first is a 1-share odd lot
        // (`c` [14, 37, 41]: intermarket sweep, odd lot, trade-through exempt): volume only.
        #expect(frames[4].events == [
            .trade(Trade(symbol: sym("AMZN"), price: dec("161.87"), size: dec("1"),
                         time: PolygonTime.date(milliseconds: 1_651_684_192_536),
                         rule: PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: true))),
            .trade(Trade(symbol: sym("AMZN"), price: dec("161.87"), size: dec("100"),
                         time: PolygonTime.date(milliseconds: 1_651_684_192_717))),
        ])

        // Quote: 114.125 and 114.128 stay exact.
        guard case .quote(let quote)? = frames[5].events.first else {
            Issue.record("expected a quote, got \(frames[5])")
            return
        }
        #expect(quote == BidAsk(
            symbol: sym("MSFT"), bid: dec("114.125"), bidSize: dec("100"), ask: dec("114.128"),
            askSize: dec("160"), time: PolygonTime.date(milliseconds: 1_536_036_818_784)))
        #expect("\(quote.bid)" == "114.125")
        #expect("\(quote.ask)" == "114.128")

        // Per-second aggregate: counted as ignored, not an event.
        #expect(frames[6].events.isEmpty)
        #expect(frames[6].ignoredEvents == 1)

        // Minute aggregate → minute bar starting at `s` (ms); vwap from `vw`, not `a`.
        #expect(frames[7].events == [.bar(Bar(
            symbol: sym("GTE"), timespan: .minute, start: PolygonTime.date(milliseconds: 1_610_144_640_000),
            open: dec("0.4488"), high: dec("0.4489"), low: dec("0.4486"), close: dec("0.4486"),
            volume: dec("4110"), vwap: dec("0.4488")))])
        #expect(ms(frames[7].events.first?.time) == 1_610_144_700_000)  // bar end = `e`
    }

    @Test("the README's auth_failed and max_connections frames")
    func readmeStatusFrames() throws {
        let frames = try PolygonFixtures.readmeStatusFrames().map(PolygonStreamParser.parse(frame:))
        try #require(frames.count == 2)
        #expect(frames[0].statuses == [.authFailed(message: "authentication failed")])
        let limit = "Maximum number of websocket connections exceeded. You have reached the connection limit for your account."
        #expect(frames[1].statuses == [.maxConnections(message: limit)])
        #expect(frames.allSatisfy { $0.statuses.allSatisfy(\.isFatal) })
    }

    @Test("legacy wording: success/authenticated and error/authentication failed")
    func legacyAuthWording() {
        let mixed = PolygonStreamParser.parse(frame: """
            [{"message":"authenticated","ev":"status","status":"success"},\
            {"ev":"status","status":"success","message":"subscribed to: C.AUD/USD"}]
            """)
        #expect(mixed.statuses == [.authSuccess, .subscribed(topics: ["C.AUD/USD"])])
        let failed = PolygonStreamParser.parse(frame: #"[{"ev":"status","status":"error","message":"authentication failed"}]"#)
        #expect(failed.statuses == [.authFailed(message: "authentication failed")])
        #expect(failed.statuses.first?.isFatal == true)
    }

    @Test("status wording variants")
    func statusVariants() {
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"status","status":"success","message":"subscribed to: T.AAPL,Q.AAPL,A.AAPL"},\
            {"ev":"status","status":"success","message":"unsubscribed to: T.AAPL"},\
            {"ev":"status","status":"success","message":"unsubscribed from: Q.AAPL, AM.AAPL"},\
            {"ev":"status","status":"auth_failed","message":"Your plan doesn't include websocket access. Visit https://polygon.io/pricing to upgrade."},\
            {"ev":"status","status":"error","message":"something else"},\
            {"ev":"status","status":"connected"}]
            """)
        #expect(frame.malformed == 0)
        #expect(frame.statuses == [
            .subscribed(topics: ["T.AAPL", "Q.AAPL", "A.AAPL"]),
            .unsubscribed(topics: ["T.AAPL"]),
            .unsubscribed(topics: ["Q.AAPL", "AM.AAPL"]),
            .authFailed(message: "Your plan doesn't include websocket access. Visit https://polygon.io/pricing to upgrade."),
            .other(status: "error", message: "something else"),
            .connected,
        ])
        #expect(PolygonStatus.other(status: "error", message: "x").isFatal == false)
    }

    @Test("statuses and events of different kinds share one frame")
    func mixedStatusAndEvents() {
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"status","status":"auth_success","message":"authenticated"},\
            {"ev":"Q","sym":"AAPL","bx":4,"bp":189.5,"bs":2,"ax":7,"ap":189.52,"as":3,"t":1700000000001},\
            {"ev":"T","sym":"AAPL","i":"1","x":4,"p":189.51,"s":50,"t":1700000000002,"q":1,"z":3},\
            {"ev":"AM","sym":"AAPL","v":10,"o":1,"c":2,"h":3,"l":0.5,"s":1699999940000,"e":1700000000000}]
            """)
        #expect(frame.statuses == [.authSuccess])
        #expect(frame.events.map(\.symbol) == [sym("AAPL"), sym("AAPL"), sym("AAPL")])
        guard case .quote(let quote) = frame.events[0], case .trade(let trade) = frame.events[1],
              case .bar(let bar) = frame.events[2] else {
            Issue.record("unexpected events \(frame.events)")
            return
        }
        #expect(quote.bid == dec("189.5") && quote.ask == dec("189.52") && quote.bidSize == 2 && quote.askSize == 3)
        #expect(trade.price == dec("189.51") && trade.size == 50)
        #expect(bar.vwap == nil)  // optional `vw` omitted (quickstart-style AM)
        #expect(bar.volume == 10 && bar.low == dec("0.5"))
    }

    @Test("a corrected minute bar (same sym and s) is delivered again for the consumer to upsert")
    func correctedMinuteBar() {
        let first = PolygonStreamParser.parse(frame: #"[{"ev":"AM","sym":"AAPL","v":100,"o":10,"c":11,"h":12,"l":9,"s":1700000040000,"e":1700000100000}]"#)
        let again = PolygonStreamParser.parse(frame: #"[{"ev":"AM","sym":"AAPL","v":150,"o":10,"c":10.5,"h":12.25,"l":9,"s":1700000040000,"e":1700000100000}]"#)
        guard case .bar(let original) = first.events.first, case .bar(let corrected) = again.events.first else {
            Issue.record("expected bars, got \(first.events) and \(again.events)")
            return
        }
        #expect(original.start == corrected.start && original.symbol == corrected.symbol && corrected.timespan == .minute)
        #expect(corrected.close == dec("10.5") && corrected.high == dec("12.25") && corrected.volume == 150)
        #expect(original.close == 11 && original.volume == 100)
    }

    @Test("unknown ev values are skipped and counted")
    func unknownEvents() {
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"LULD","T":"AAPL","h":1,"l":2},{"ev":"NOI","T":"AAPL"},\
            {"ev":"T","sym":"AAPL","p":1.5,"s":1,"t":1700000000000}]
            """)
        #expect(frame.unknownEvents == 2)
        #expect(frame.malformed == 0)
        #expect(frame.events.count == 1)
    }

    @Test("a malformed element does not lose the good ones")
    func malformedElements() {
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"T","sym":"AAPL","p":"oops","s":1,"t":1700000000000},\
            {"ev":"T","sym":"AAPL","p":1.25,"s":1,"t":1700000000000},\
            {"ev":"T","p":1,"s":1,"t":1},\
            {"ev":"Q","sym":"AAPL","bp":1},\
            {"ev":"T","sym":"not a ticker!","p":1,"s":1,"t":1},\
            {"no":"ev"},42,null,\
            {"ev":"T","sym":"MSFT","p":400.01,"s":2,"t":1700000000001}]
            """)
        #expect(frame.events.map(\.symbol) == [sym("AAPL"), sym("MSFT")])
        #expect(frame.malformed == 7)
        #expect(frame.problems.count == PolygonFrame.maxProblems)
        #expect(frame.problems.first == "T AAPL: '[0].p' is not Decimal")
        #expect(frame.problems[1] == "T: missing '[2].sym'")
    }

    @Test("a frame that is not valid JSON keeps every complete element")
    func brokenFrameSalvage() {
        // Truncated mid-element, plus garbage between elements; a brace inside a string.
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"T","sym":"AAPL","i":"{x}","p":1.5,"s":1,"t":1700000000000},garbage,\
            {"ev":"status","status":"connected","message":"a \\"]}\\" b"},{"ev":"T","sym":"MS
            """)
        #expect(frame.events.map(\.symbol) == [sym("AAPL")])
        #expect(frame.statuses == [.connected])
        #expect(frame.malformed == 1)
        #expect(frame.problems.first?.hasPrefix("frame is not valid JSON") == true)
    }

    @Test("empty, non-array and garbage frames never crash", arguments: [
        "", "   ", "not json", "{", "[", "]", "[]", "null", "42", "\"text\"", "[[[]]]", "[{]", "{\"ev\":\"T\"}",
    ])
    func garbageFrames(text: String) {
        let frame = PolygonStreamParser.parse(frame: text)
        #expect(frame.events.isEmpty)
        #expect(frame.statuses.isEmpty)
        #expect(frame.malformed == (text == "[]" ? 0 : 1))
    }

    @Test("a lone object frame is accepted")
    func loneObject() {
        let frame = PolygonStreamParser.parse(frame: #"{"ev":"status","status":"connected","message":"Connected Successfully"}"#)
        #expect(frame.statuses == [.connected])
        #expect(frame.malformed == 0)
    }

    @Test("Data and String input give the same result")
    func dataInput() throws {
        for line in try PolygonFixtures.sessionFrames() {
            #expect(PolygonStreamParser.parse(frame: Data(line.utf8)) == PolygonStreamParser.parse(frame: line))
        }
    }

    @Test("every price and size is decoded exactly (digits a Double cannot hold)")
    func decimalExactness() {
        let exact = "100.00000000000000000123"  // 23 significant digits: Double would give 100
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"T","sym":"A","p":\(exact),"s":\(exact),"t":1},\
            {"ev":"Q","sym":"A","bp":\(exact),"bs":\(exact),"ap":\(exact),"as":\(exact),"t":1},\
            {"ev":"AM","sym":"A","o":\(exact),"h":\(exact),"l":\(exact),"c":\(exact),"v":\(exact),"vw":\(exact),"s":1,"e":2}]
            """)
        let value = dec(exact)
        #expect("\(value)" == exact)
        #expect(frame.malformed == 0)
        #expect(frame.events == [
            .trade(Trade(symbol: sym("A"), price: value, size: value, time: PolygonTime.date(milliseconds: 1))),
            .quote(BidAsk(symbol: sym("A"), bid: value, bidSize: value, ask: value, askSize: value,
                          time: PolygonTime.date(milliseconds: 1))),
            .bar(Bar(symbol: sym("A"), timespan: .minute, start: PolygonTime.date(milliseconds: 1), open: value,
                     high: value, low: value, close: value, volume: value, vwap: value)),
        ])
    }

    @Test("TRF fields and a condition-less quote are accepted; sizes are passed through unscaled")
    func optionalFields() {
        let frame = PolygonStreamParser.parse(frame: """
            [{"ev":"T","sym":"BRK.B","x":4,"i":"9","z":1,"p":412.0000001,"s":3,"t":1700000000123,"q":5,"trfi":202,"trft":1700000000120},\
            {"ev":"Q","sym":"BRK.B","bp":411.9,"ap":412.1,"t":1700000000124}]
            """)
        #expect(frame.malformed == 0)
        guard case .trade(let trade) = frame.events.first, case .quote(let quote) = frame.events.last else {
            Issue.record("unexpected \(frame.events)")
            return
        }
        #expect(trade.symbol == sym("BRK.B"))
        #expect(trade.price == dec("412.0000001"))
        #expect(quote.bidSize == 0 && quote.askSize == 0)
    }
}
