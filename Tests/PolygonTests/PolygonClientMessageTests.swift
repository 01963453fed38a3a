import Foundation
import Polygon
import Testing
import TradingDomain

@Suite("Polygon client messages")
struct PolygonClientMessageTests {
    @Test("auth message")
    func auth() {
        #expect(PolygonClientMessage.auth(apiKey: "abc123") == #"{"action":"auth","params":"abc123"}"#)
    }

    @Test("the key is JSON-escaped and round-trips", arguments: [
        "plain", "with\"quote", "back\\slash", "new\nline", "tab\tand\u{01}ctl", "slash/é✓", "",
    ])
    func authEscaping(key: String) throws {
        let text = PolygonClientMessage.auth(apiKey: key)
        #expect(!text.contains("\n") && !text.contains("\t"))
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        #expect(decoded == ["action": "auth", "params": key])
    }

    @Test("control characters use the JSON escapes")
    func escapes() {
        #expect(PolygonClientMessage.auth(apiKey: "a\"b\\c\u{01}d\u{1F}") == #"{"action":"auth","params":"a\"b\\c\u0001d\u001f"}"#)
    }

    @Test("subscribe: symbols sorted and de-duplicated, T/Q/AM per symbol")
    func subscribe() {
        let symbols = [sym("MSFT"), sym("AAPL"), sym("MSFT")]
        #expect(PolygonClientMessage.subscribe(symbols)
            == #"{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL,T.MSFT,Q.MSFT,AM.MSFT"}"#)
        #expect(PolygonClientMessage.unsubscribe([sym("AAPL")], channels: [.trades])
            == #"{"action":"unsubscribe","params":"T.AAPL"}"#)
        #expect(PolygonClientMessage.subscribe(Set([sym("BRK.B")]), channels: [.minuteAggregates, .secondAggregates, .minuteAggregates])
            == #"{"action":"subscribe","params":"AM.BRK.B,A.BRK.B"}"#)
    }

    @Test("nothing to (un)subscribe gives no message")
    func empty() {
        #expect(PolygonClientMessage.subscribe([Symbol]()) == nil)
        #expect(PolygonClientMessage.unsubscribe(Set<Symbol>()) == nil)
        #expect(PolygonClientMessage.subscribe(topics: []) == nil)
        #expect(PolygonClientMessage.subscribe([sym("AAPL")], channels: []) == nil)
    }

    @Test("topics and raw topic messages")
    func topics() {
        #expect(PolygonClientMessage.topics(for: [sym("TSLA"), sym("AAPL")])
            == ["T.AAPL", "Q.AAPL", "AM.AAPL", "T.TSLA", "Q.TSLA", "AM.TSLA"])
        #expect(PolygonClientMessage.subscribe(topics: ["T.*"]) == #"{"action":"subscribe","params":"T.*"}"#)
        #expect(PolygonClientMessage.unsubscribe(topics: ["T.AAPL", "Q.AAPL"])
            == #"{"action":"unsubscribe","params":"T.AAPL,Q.AAPL"}"#)
    }

    @Test("the delayed feed gets no quotes channel")
    func channelsPerFeed() {
        #expect(PolygonClientMessage.channels(for: .realTime) == [.trades, .quotes, .minuteAggregates])
        #expect(PolygonClientMessage.channels(for: .delayed) == [.trades, .minuteAggregates])
    }
}
