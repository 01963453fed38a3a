import Foundation
import Testing
import Tradier
import TradingDomain
import TradingEngine

/// Tradier's market-data wire formats, quirks included (docs/vendors.md §2.4, §2.5, §2.8).
@Suite("Tradier market-data wire")
struct TradierMarketWireTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let amzn = Symbol(trusted: "AMZN")

    @Test("the recorded pre-market quote: one symbol is an object, null open/high/low stay absent, dates are epoch ms")
    func premarketQuote() throws {
        let snapshots = try TradierMarketWire.snapshots(
            try TradierFixtures.data("quotes-single-premarket-null-ohlc.json"), asked: [amzn], now: now)
        let quote = try #require(snapshots[amzn])
        #expect(quote.last == dec("463.37"))
        #expect(quote.bid == dec("477.2"))
        #expect(quote.ask == dec("481.16"))
        #expect(quote.previousClose == dec("463.37"))
        #expect(quote.dayOpen == nil && quote.dayHigh == nil && quote.dayLow == nil)
        #expect(quote.dayVolume == 812)
        #expect(quote.lastTime == Date(timeIntervalSince1970: 1_440_446_400))
        #expect(quote.updated == Date(timeIntervalSince1970: 1_440_490_442), "the newest of trade, bid and ask dates")
    }

    @Test("all symbols unknown: no quote key, only unmatched_symbols → nothing; \"null\" quotes → nothing")
    func unmatched() throws {
        #expect(try TradierMarketWire.snapshots(try TradierFixtures.data("quotes-all-unmatched.json"), asked: [Symbol(trusted: "XYZ")], now: now).isEmpty)
        #expect(try TradierMarketWire.snapshots(body(#"{"quotes":"null"}"#), asked: [amzn], now: now).isEmpty)
        #expect(try TradierMarketWire.snapshots(body(#"{"quotes":null}"#), asked: [amzn], now: now).isEmpty)
    }

    @Test("several quotes are an array; long decimal tails are exact; unknown symbols are left out; BRK/B maps to BRK.B")
    func arrayOfQuotes() throws {
        let text = """
            {"quotes":{"quote":[
              {"symbol":"AAPL","last":231.370000000000000000000001,"bid":231.36,"ask":231.38,"open":229.1,"high":232.5,"low":228.75,
               "volume":51234567,"prevclose":229.0000000000000000000000,"trade_date":1780000000123,"bid_date":1780000000200,"ask_date":1780000000100},
              {"symbol":"BRK/B","last":"455.10","bid":0,"ask":455.2,"open":null,"high":null,"low":null,"prevclose":450,"trade_date":1780000000000}
            ],"unmatched_symbols":{"symbol":["XYZ","ZZZZ"]}}}
            """
        let brk = Symbol(trusted: "BRK.B")
        let aapl = Symbol(trusted: "AAPL")
        let snapshots = try TradierMarketWire.snapshots(body(text), asked: [aapl, brk, Symbol(trusted: "XYZ")], now: now)
        #expect(Set(snapshots.keys) == [aapl, brk])
        #expect(snapshots[aapl]?.last == dec("231.370000000000000000000001"), "no Double on the way")
        #expect(snapshots[aapl]?.previousClose == 229)
        #expect(snapshots[aapl]?.dayHigh == dec("232.5"))
        #expect(snapshots[aapl]?.dayVolume == 51_234_567)
        #expect(snapshots[brk]?.last == dec("455.1"), "a number sent as a string")
        #expect(snapshots[brk]?.bid == nil, "a zero bid is an empty book, not a price")
        #expect(TradierMarketWire.wireSymbol(brk) == "BRK/B")
    }

    @Test("an XML answer (Accept header missing) is malformed, not an empty list")
    func xmlIsMalformed() {
        #expect(throws: MarketDataError.self) {
            try TradierMarketWire.snapshots(body(#"<?xml version="1.0"?><quotes><quote><symbol>AAPL</symbol></quote></quotes>"#), asked: [amzn], now: now)
        }
    }

    @Test("stream: the documented quote, trade and summary payloads, one per line in one message")
    func streamPayloads() throws {
        // The examples of https://docs.tradier.com/docs/streaming (numbers as strings, epoch-ms strings).
        let message = """
            {"type":"quote","symbol":"SPY","bid":281.84,"bidsz":60,"bidexch":"M","biddate":"1557757189000","ask":281.85,"asksz":6,"askexch":"Z","askdate":"1557757190000"}
            {"type":"trade","symbol":"SPY","exch":"J","price":"281.85","size":"100","cvol":"27978993","date":"1557757190000","last":"281.85"}
            {"type":"summary","symbol":"SPY","open":"282.42","high":"283.49","low":"281.07","prevClose":"288.1"}

            """
        let spy = Symbol(trusted: "SPY")
        let parsed = TradierMarketWire.streamMessage(message, asked: ["SPY": spy], now: now)
        #expect(parsed.errors.isEmpty && parsed.malformed.isEmpty)
        #expect(parsed.events == [
            .quote(BidAsk(symbol: spy, bid: dec("281.84"), bidSize: 60, ask: dec("281.85"), askSize: 6, time: Date(timeIntervalSince1970: 1_557_757_190))),
            .trade(Trade(symbol: spy, price: dec("281.85"), size: 100, time: Date(timeIntervalSince1970: 1_557_757_190))),
            .summary(DaySummary(symbol: spy, volume: 27_978_993, time: Date(timeIntervalSince1970: 1_557_757_190))),
            .summary(DaySummary(symbol: spy, open: dec("282.42"), high: dec("283.49"), low: dec("281.07"), previousClose: dec("288.1"), time: now)),
        ])
    }

    @Test("stream: a print that does not update last (price ≠ last) reports last, never its own price")
    func printOutsideLast() {
        let aapl = Symbol(trusted: "AAPL")
        let parsed = TradierMarketWire.streamMessage(
            #"{"type":"trade","symbol":"AAPL","exch":"D","price":"250.00","size":"3","date":"1780000000000","last":"231.37"}"#,
            asked: ["AAPL": aapl], now: now)
        #expect(parsed.events == [.trade(Trade(symbol: aapl, price: dec("231.37"), size: 3, time: Date(timeIntervalSince1970: 1_780_000_000)))])
    }

    @Test("stream: errors are reported (a session error is recognised), unknown types skipped, junk counted")
    func streamErrorsAndJunk() {
        let parsed = TradierMarketWire.streamMessage("""
            {"error":"1234 is not a valid symbol"}
            {"type":"timesale","symbol":"SPY","last":"282.09","size":"100","date":"1557758874355","seq":352795}
            not json
            {"type":"quote","symbol":"SPY","bid":"x","ask":1}
            """, asked: [:], now: now)
        #expect(parsed.errors == ["1234 is not a valid symbol"])
        #expect(parsed.events.isEmpty)
        #expect(parsed.malformed.count == 2)
        #expect(!TradierMarketWire.isSessionError("1234 is not a valid symbol"))
        #expect(TradierMarketWire.isSessionError("invalid session: the sessionid is unknown or has expired"))
    }

    @Test("the request payload: sorted symbols in Tradier's spelling, the session, the filter, linebreak")
    func subscriptionPayload() {
        let payload = TradierMarketWire.subscription(
            symbols: [Symbol(trusted: "SPY"), Symbol(trusted: "BRK.B"), Symbol(trusted: "AAPL")], sessionID: "c8638963")
        #expect(payload == #"{"symbols":["AAPL","BRK/B","SPY"],"sessionid":"c8638963","filter":["trade","quote","summary"],"linebreak":true}"#)
    }

    @Test("the session answer: root stream with url and sessionid; without a sessionid it is malformed")
    func session() throws {
        let session = try TradierMarketWire.session(body(#"{"stream":{"url":"https://stream.tradier.com/v1/markets/events","sessionid":"c8638963-a6d4-4fb9-9bc6-e25fbd8c60c3"}}"#))
        #expect(session.id == "c8638963-a6d4-4fb9-9bc6-e25fbd8c60c3")
        #expect(session.url == "https://stream.tradier.com/v1/markets/events")
        #expect(throws: MarketDataError.self) { try TradierMarketWire.session(body(#"{"stream":{"url":"x"}}"#)) }
    }

    @Test("timesales: the documented row, one row as an object, series null or \"null\"; time without timestamp is New York time")
    func timesales() throws {
        let symbol = Symbol(trusted: "AAPL")
        let documented = try TradierMarketWire.minuteBars(body("""
            {"series":{"data":[{"time":"2025-07-01T09:30:00","timestamp":1751376600,"price":207.26,"open":206.72,"high":208.38,"low":206.1401,"close":207.53,"volume":9876387,"vwap":207.32529}]}}
            """), symbol: symbol)
        #expect(documented == [Bar(
            symbol: symbol, timespan: .minute, start: Date(timeIntervalSince1970: 1_751_376_600), open: dec("206.72"), high: dec("208.38"),
            low: dec("206.1401"), close: dec("207.53"), volume: 9_876_387, vwap: dec("207.32529"))])
        let single = try TradierMarketWire.minuteBars(body(#"{"series":{"data":{"time":"2025-07-01T09:31:00","open":1,"high":2,"low":0.5,"close":1.5,"volume":10}}}"#), symbol: symbol)
        #expect(single.map(\.start) == [Date(timeIntervalSince1970: 1_751_376_660)], "09:31 EDT is 13:31 UTC")
        #expect(try TradierMarketWire.minuteBars(body(#"{"series":null}"#), symbol: symbol).isEmpty)
        #expect(try TradierMarketWire.minuteBars(body(#"{"series":"null"}"#), symbol: symbol).isEmpty)
    }

    @Test("history: daily bars start at New York midnight, oldest first; one day is an object; null is none")
    func history() throws {
        let symbol = Symbol(trusted: "AAPL")
        let bars = try TradierMarketWire.dailyBars(body("""
            {"history":{"day":[{"date":"2019-01-03","open":143.98,"high":145.72,"low":142.0,"close":142.19,"volume":91312195},
                               {"date":"2019-01-02","open":154.89,"high":158.85,"low":154.23,"close":157.92,"volume":37039737}]}}
            """), symbol: symbol)
        #expect(bars.map(\.close) == [dec("157.92"), dec("142.19")])
        #expect(bars.first?.start == Date(timeIntervalSince1970: 1_546_405_200), "2019-01-02 00:00 EST")
        #expect(bars.allSatisfy { $0.timespan == .day })
        let one = try TradierMarketWire.dailyBars(body(#"{"history":{"day":{"date":"2019-01-02","open":1,"high":2,"low":1,"close":2,"volume":5}}}"#), symbol: symbol)
        #expect(one.count == 1)
        #expect(try TradierMarketWire.dailyBars(body(#"{"history":null}"#), symbol: symbol).isEmpty)
    }
}
