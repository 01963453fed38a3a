import Foundation
import Polygon
import Testing
import TradingDomain

/// The byte-level fast path against the `JSONDecoder` path on random frames (issue 20): clean
/// vendor-shaped frames, frames with odd but valid JSON, and randomly damaged ones. Bounded: a
/// fixed seed and a fixed number of frames, no clock.
@Suite("Polygon fast frame parser")
struct PolygonFastParserPropertyTests {
    @Test("random frames: the fast path gives the JSONDecoder path's events, statuses and errors")
    func randomFramesMatchFoundation() {
        var random = FrameRandom(seed: 20)
        var understood = 0
        var cleanUnderstood = 0
        var cleanTotal = 0  // array frames the decoder reads with nothing malformed
        for round in 0..<4_000 {
            let damaged = round % 5 == 4
            var text = random.frame()
            if damaged { text = random.damage(text) }
            let reference = PolygonStreamParser.parseWithFoundation(frame: text)
            let parsed = PolygonStreamParser.parse(frame: text)
            #expect(parsed == reference, "frame: \(text)")
            #expect(PolygonStreamParser.parse(frame: Data(text.utf8)) == reference, "frame as Data: \(text)")
            if let fast = PolygonFastParser.parse(text) {
                understood += 1
                #expect(fast == reference, "fast path: \(text)")
                // The fast path only answers frames it fully understands: nothing malformed.
                #expect(fast.malformed == 0 && reference.malformed == 0, "frame: \(text)")
                // Exact digits: the same decimal text as the decoder's.
                #expect(fast.events.map(Self.prices) == reference.events.map(Self.prices), "frame: \(text)")
            }
            if reference.malformed == 0, text.hasPrefix("[") {
                cleanTotal += 1
                if PolygonFastParser.parse(text) != nil { cleanUnderstood += 1 }
            }
        }
        // The property means something only if the fast path actually takes most clean frames.
        #expect(understood > 1_000)
        #expect(cleanUnderstood * 10 > cleanTotal * 8, "fast path took \(cleanUnderstood) of \(cleanTotal) clean frames")
    }

    @Test("the recorded session goes through the fast path, with the decoder's result")
    func recordedSessionIsFast() throws {
        for line in try PolygonFixtures.sessionFrames() + PolygonFixtures.readmeStatusFrames() {
            let fast = try #require(PolygonFastParser.parse(line), "not understood: \(line)")
            #expect(fast == PolygonStreamParser.parseWithFoundation(frame: line))
        }
    }

    @Test("frames the fast path leaves to the decoder", arguments: [
        #"{"ev":"status","status":"connected"}"#,  // a lone object
        #"[{"ev":"T","sym":"AAPL","p":"1.5","s":1,"t":1}]"#,  // a malformed element
        #"[{"ev":"status","status":"connected","message":"a \"quoted\" word"}]"#,  // an escape
        #"[{"ev":"T","sym":"AAPL","p":1.5,"p":1.6,"s":1,"t":1}]"#,  // a key we read, twice
        #"[{"ev":"T","sym":"AAPL","p":1.2345678901234567890,"s":1,"t":1}]"#,  // past 18 digits
        #"[{"ev":"T","sym":"AAPL","p":1.5,"s":1,"t":1.0}]"#,  // an integer field written as a fraction
        #"[{"ev":"T","sym":"AAPL","p":1.5,"s":1,"t":1}"#,  // broken JSON
        #"[{"ev":"T","sym":"AAPL","p":01.5,"s":1,"t":1}]"#,  // leading zero
    ])
    func leftToDecoder(text: String) {
        #expect(PolygonFastParser.parse(text) == nil)
        #expect(PolygonStreamParser.parse(frame: text) == PolygonStreamParser.parseWithFoundation(frame: text))
    }

    @Test("exact digits: prices keep every decimal digit, no Double on the way")
    func exactDigits() throws {
        let frame = try #require(PolygonFastParser.parse(
            #"[{"ev":"Q","sym":"BRK.A","bp":612345.123456,"bs":1,"ap":0.000001,"t":1700000000000},"#
                + #"{"ev":"T","sym":"O:AAPL261218C00250000","p":0.1,"s":3,"t":-5,"c":[37]},"#
                + #"{"ev":"T","sym":"AAPL","p":2.675,"s":100,"t":1700000000001,"c":[14,37,41]}]"#))
        guard case .quote(let quote) = frame.events[0], case .trade(let option) = frame.events[1],
              case .trade(let oddLot) = frame.events[2] else {
            Issue.record("unexpected events \(frame.events)")
            return
        }
        #expect("\(quote.bid)" == "612345.123456" && "\(quote.ask)" == "0.000001" && quote.askSize == 0)
        #expect(option.price == dec("0.1") && option.symbol == sym("AAPL261218C00250000") && option.rule == .regular)
        #expect(oddLot.price == dec("2.675"))
        #expect(oddLot.rule == PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: true))
    }

    static func prices(_ event: MarketEvent) -> [String] {
        switch event {
        case .trade(let trade): ["\(trade.price)", "\(trade.size)"]
        case .quote(let quote): ["\(quote.bid)", "\(quote.bidSize)", "\(quote.ask)", "\(quote.askSize)"]
        case .bar(let bar): ["\(bar.open)", "\(bar.high)", "\(bar.low)", "\(bar.close)", "\(bar.volume)", "\(bar.vwap.map { "\($0)" } ?? "-")"]
        case .summary: []
        }
    }
}

/// Random Polygon-shaped frames from a seeded SplitMix64.
struct FrameRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func number() -> String {
        switch below(12) {
        case 0: return pick(["0", "-0", "0.0", "-0.0", "1e2", "1.5E-3", "2.5e+1", "100.50", "-3.25", "7"])
        case 1: return pick(["12345678901234567890", "0.0000000000000000001", "1e400", "01", "1.", ".5", "-", "1e", "+1", "NaN"])
        case 2: return "\(below(1_000_000_000))\(pick(["", "0", "00"]))"
        case 3: return "\(below(1_000))"
        default:
            let cents = below(10_000_000)
            let scale = pick([1, 2, 3, 4, 6])
            let fraction = (0..<scale).map { _ in String(below(10)) }.joined()
            return "\(chance(5) ? "-" : "")\(cents / 100).\(fraction)"
        }
    }

    mutating func integer() -> String {
        switch below(10) {
        case 0: return pick(["1.0", "1e3", "-0", "9223372036854775807", "9223372036854775808", "-12", "0"])
        default: return "\(1_700_000_000_000 + below(100_000_000))"
        }
    }

    mutating func symbol() -> String {
        let plain = ["AAPL", "MSFT", "BRK.B", "BF/B", "A", "X1", "GOOGL", "SPY", "ABCDEFGHIJ"]
        if chance(85) { return "\"\(pick(plain))\"" }
        return pick([
            #""aapl""#, #""O:AAPL261218C00250000""#, #""AAPL261218P00250000""#, #""O:BAD""#, #""""#,
            #""ABCDEFGHIJK""#, #""A-""#, #""1AB""#, #"" AAPL""#, #""X\u0041""#, "42", "null", #""MS FT""#,
        ])
    }

    mutating func value(_ kind: String) -> String {
        if chance(3) { return pick(["null", #""1.5""#, "true", "[]", "{}"]) }
        switch kind {
        case "number": return number()
        case "integer": return integer()
        case "symbol": return symbol()
        case "conditions":
            if chance(10) { return pick(["null", "[]", "[1.0]", #"["12"]"#, "[12,]", "[-1]", "[999]"]) }
            return "[" + (0..<(1 + below(3))).map { _ in "\(pick([1, 2, 12, 14, 15, 16, 22, 29, 37, 41, 52, 53, 71]))" }
                .joined(separator: ",") + "]"
        default:
            return pick([
                #""connected""#, #""auth_success""#, #""authenticated""#, #""subscribed to: T.AAPL,Q.MSFT""#,
                #""unsubscribed from: T.AAPL""#, #""max_connections""#, #""auth_failed""#, #""success""#,
                #""error""#, #""Connected Successfully""#, #""with \"escape\"""#, #""é""#,
            ])
        }
    }

    mutating func element() -> String {
        var fields: [(String, String)]
        switch below(10) {
        case 0, 1, 2, 3:
            fields = [("ev", #""T""#), ("sym", symbol()), ("i", #""\#(below(99_999))""#), ("x", "4"),
                      ("p", value("number")), ("s", value("number")), ("t", value("integer")), ("q", "\(below(9_999))"), ("z", "3")]
            if chance(50) { fields.append(("c", value("conditions"))) }
        case 4, 5:
            fields = [("ev", #""Q""#), ("sym", symbol()), ("bx", "4"), ("bp", value("number")), ("ax", "7"),
                      ("ap", value("number")), ("t", value("integer")), ("c", "[1]"), ("z", "1")]
            if chance(80) { fields.append(("bs", value("number"))) }
            if chance(80) { fields.append(("as", value("number"))) }
        case 6:
            fields = [("ev", #""AM""#), ("sym", symbol()), ("v", value("number")), ("av", "123"), ("op", "1.5"),
                      ("o", value("number")), ("h", value("number")), ("l", value("number")), ("c", value("number")),
                      ("a", "1.25"), ("s", value("integer")), ("e", value("integer")), ("z", "55")]
            if chance(60) { fields.append(("vw", value("number"))) }
            if chance(10) { fields.removeAll { $0.0 == "v" } }
        case 7:
            fields = [("ev", #""status""#), ("status", value("status")), ("message", value("status"))]
            if chance(15) { fields.removeLast() }
        case 8:
            fields = [("ev", pick([#""A""#, #""LULD""#, #""NOI""#, #""XQ""#, #""""#])), ("sym", symbol()), ("h", "1"), ("o", number())]
        default:
            fields = [("ev", pick(["42", "null", #""T""#])), ("nested", #"{"a":[1,2,{"b":null}],"c":"x"}"#)]
        }
        if chance(20) { fields.append(("extra", pick(["true", "false", "null", #"[1,[2,[3]]]"#, #"{"k":{"k":[]}}"#, #""text""#]))) }
        if chance(5) { fields.append(fields[below(fields.count)]) }  // a duplicated key
        if chance(5) { fields.remove(at: below(fields.count)) }  // a missing key
        // Shuffle the key order.
        for index in stride(from: fields.count - 1, to: 0, by: -1) { fields.swapAt(index, below(index + 1)) }
        let space = chance(10) ? " " : ""
        return "{" + fields.map { "\(space)\"\($0.0)\"\(space):\(space)\($0.1)" }.joined(separator: ",") + "}"
    }

    mutating func frame() -> String {
        let count = below(6)
        let elements = (0..<count).map { _ in chance(2) ? pick(["42", "null", "[]", #""x""#]) : element() }
        let body = "[" + elements.joined(separator: chance(10) ? " ,\n" : ",") + "]"
        return chance(3) ? (elements.first ?? "{}") : (chance(5) ? "  \(body)\n" : body)
    }

    /// One random byte-level change: a deletion, an insertion or a truncation.
    mutating func damage(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return "[" }
        let at = below(bytes.count)
        switch below(3) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(pick(Array("{}[],:\"0-.e \\x".utf8)), at: at)
        default: bytes.removeSubrange(at...)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
