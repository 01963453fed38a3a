import Foundation
import TradingDomain

/// The byte-level fast path for Polygon/Massive WebSocket frames (issue 20, docs/performance.md
/// "Frame parser"): reads the frame's bytes once, with no Foundation JSON, no intermediate
/// dictionaries and no `Double` — prices and sizes keep their exact decimal digits.
///
/// It understands the frames Polygon actually sends: an array of flat objects whose elements all
/// map cleanly (`T`, `Q`, `AM`, `A`, `status`, or an unknown `ev`). It answers nil for anything
/// else — an element it would have to report as malformed, a lone object, broken JSON, an escape
/// in a string, a duplicated key we read, a number past 18 digits — and `PolygonStreamParser`
/// then parses the frame with `JSONDecoder` (`parseWithFoundation`), so every error and every
/// salvage rule stays that path's. Same events either way (`PolygonFastParserPropertyTests`).
///
/// Field mapping is `PolygonStreamElement`'s, decision by decision: required and optional keys,
/// `null` for an optional key meaning absent, the `T` conditions through
/// `PolygonTradeConditions` (stock prints only; option prints are `.regular`).
public enum PolygonFastParser {
    /// The frame's events, or nil when the `JSONDecoder` path must decide.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> PolygonFrame? {
        var reader = PolygonByteReader(bytes)
        guard reader.consume(UInt8(ascii: "[")) else { return nil }
        var frame = PolygonFrame()
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                guard parseElement(&reader, into: &frame) else { return nil }
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "]")) else { return nil }
        }
        reader.skipWhitespace()
        return reader.atEnd ? frame : nil
    }

    public static func parse(_ text: String) -> PolygonFrame? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    public static func parse(_ data: Data) -> PolygonFrame? {
        data.withUnsafeBytes { raw in parse(raw.bindMemory(to: UInt8.self)) }
    }

    /// Where each key this parser reads starts (value offsets; -1 when absent).
    private struct Slots {
        var ev = -1, sym = -1, status = -1, message = -1
        var p = -1, s = -1, t = -1, bp = -1, bs = -1, ap = -1, askSize = -1
        var o = -1, h = -1, l = -1, c = -1, v = -1, vw = -1

        /// Records `key`'s value offset; false for a key seen twice (the decoder decides those).
        mutating func record(_ key: Range<Int>, at offset: Int, in reader: PolygonByteReader) -> Bool {
            func set(_ slot: inout Int) -> Bool {
                guard slot < 0 else { return false }
                slot = offset
                return true
            }
            switch key.count {
            case 1:
                switch reader.bytes[key.lowerBound] {
                case UInt8(ascii: "p"): return set(&p)
                case UInt8(ascii: "s"): return set(&s)
                case UInt8(ascii: "t"): return set(&t)
                case UInt8(ascii: "o"): return set(&o)
                case UInt8(ascii: "h"): return set(&h)
                case UInt8(ascii: "l"): return set(&l)
                case UInt8(ascii: "c"): return set(&c)
                case UInt8(ascii: "v"): return set(&v)
                default: return true
                }
            case 2:
                if reader.equals(key, "ev") { return set(&ev) }
                if reader.equals(key, "bp") { return set(&bp) }
                if reader.equals(key, "bs") { return set(&bs) }
                if reader.equals(key, "ap") { return set(&ap) }
                if reader.equals(key, "as") { return set(&askSize) }
                if reader.equals(key, "vw") { return set(&vw) }
                return true
            case 3:
                return reader.equals(key, "sym") ? set(&sym) : true
            case 6:
                return reader.equals(key, "status") ? set(&status) : true
            case 7:
                return reader.equals(key, "message") ? set(&message) : true
            default:
                return true
            }
        }
    }

    private static func parseElement(_ reader: inout PolygonByteReader, into frame: inout PolygonFrame) -> Bool {
        guard reader.consume(UInt8(ascii: "{")) else { return false }
        var slots = Slots()
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = reader.string(), reader.consume(UInt8(ascii: ":")) else { return false }
                reader.skipWhitespace()
                guard slots.record(key, at: reader.index, in: reader), reader.skipValue() else { return false }
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "}")) else { return false }
        }
        let end = reader.index
        defer { reader.index = end }
        guard slots.ev >= 0 else { return false }
        reader.index = slots.ev
        guard let ev = reader.string() else { return false }
        switch ev.count {
        case 1 where reader.bytes[ev.lowerBound] == UInt8(ascii: "T"):
            guard let trade = trade(&reader, slots) else { return false }
            frame.events.append(.trade(trade))
        case 1 where reader.bytes[ev.lowerBound] == UInt8(ascii: "Q"):
            guard let quote = quote(&reader, slots) else { return false }
            frame.events.append(.quote(quote))
        case 2 where reader.equals(ev, "AM"):
            guard let bar = minuteBar(&reader, slots) else { return false }
            frame.events.append(.bar(bar))
        case 1 where reader.bytes[ev.lowerBound] == UInt8(ascii: "A"):
            frame.ignoredEvents += 1
        case 6 where reader.equals(ev, "status"):
            guard let status = optionalText(&reader, slots.status), let message = optionalText(&reader, slots.message) else {
                return false
            }
            frame.statuses.append(PolygonStatus(status: status, message: message))
        default:
            frame.unknownEvents += 1
        }
        return true
    }

    private static func trade(_ reader: inout PolygonByteReader, _ slots: Slots) -> Trade? {
        guard let symbol = symbol(&reader, slots.sym) else { return nil }
        var rule = PrintRule.regular
        if slots.c >= 0 {
            reader.index = slots.c
            if !reader.literal("null") {
                // `c`: stock sale condition ids (docs/vendors.md §1.7); the decoder reads them as [Int].
                guard reader.consume(UInt8(ascii: "[")) else { return nil }
                if !reader.consume(UInt8(ascii: "]")) {
                    repeat {
                        guard let id = reader.number()?.int else { return nil }
                        rule = rule.combined(with: PolygonTradeConditions.rule(forCondition: id))
                    } while reader.consume(UInt8(ascii: ","))
                    guard reader.consume(UInt8(ascii: "]")) else { return nil }
                }
            }
        }
        guard let price = decimal(&reader, slots.p), let size = decimal(&reader, slots.s),
              let millis = int64(&reader, slots.t) else { return nil }
        return Trade(
            symbol: symbol, price: price, size: size, time: PolygonTime.date(milliseconds: millis),
            rule: symbol.isOption ? .regular : rule)
    }

    private static func quote(_ reader: inout PolygonByteReader, _ slots: Slots) -> BidAsk? {
        guard let symbol = symbol(&reader, slots.sym),
              let bid = decimal(&reader, slots.bp), let bidSize = optionalDecimal(&reader, slots.bs),
              let ask = decimal(&reader, slots.ap), let askSize = optionalDecimal(&reader, slots.askSize),
              let millis = int64(&reader, slots.t) else { return nil }
        return BidAsk(
            symbol: symbol, bid: bid, bidSize: bidSize ?? 0, ask: ask, askSize: askSize ?? 0,
            time: PolygonTime.date(milliseconds: millis))
    }

    private static func minuteBar(_ reader: inout PolygonByteReader, _ slots: Slots) -> Bar? {
        guard let symbol = symbol(&reader, slots.sym), let start = int64(&reader, slots.s),
              let open = decimal(&reader, slots.o), let high = decimal(&reader, slots.h),
              let low = decimal(&reader, slots.l), let close = decimal(&reader, slots.c),
              let volume = optionalDecimal(&reader, slots.v), let vwap = optionalDecimal(&reader, slots.vw) else {
            return nil
        }
        return Bar(
            symbol: symbol, timespan: .minute, start: PolygonTime.date(milliseconds: start),
            open: open, high: high, low: low, close: close, volume: volume ?? 0, vwap: vwap)
    }

    // MARK: values

    /// A required number as an exact `Decimal`.
    private static func decimal(_ reader: inout PolygonByteReader, _ slot: Int) -> Decimal? {
        guard slot >= 0 else { return nil }
        reader.index = slot
        return reader.number()?.decimal
    }

    /// An optional number: `.some(nil)` when absent or `null`, nil when the decoder must decide.
    private static func optionalDecimal(_ reader: inout PolygonByteReader, _ slot: Int) -> Decimal?? {
        guard slot >= 0 else { return .some(nil) }
        reader.index = slot
        if reader.literal("null") { return .some(nil) }
        guard let value = reader.number()?.decimal else { return nil }
        return .some(value)
    }

    private static func int64(_ reader: inout PolygonByteReader, _ slot: Int) -> Int64? {
        guard slot >= 0 else { return nil }
        reader.index = slot
        return reader.number()?.int64
    }

    /// An optional string: "" when absent or `null`.
    private static func optionalText(_ reader: inout PolygonByteReader, _ slot: Int) -> String? {
        guard slot >= 0 else { return "" }
        reader.index = slot
        if reader.literal("null") { return "" }
        return reader.string().map(reader.text)
    }

    /// `sym` → our symbol. A plain upper-case ticker is checked here byte by byte with the rule of
    /// `Symbol(validating:)` (1–10 of A–Z 0–9 . / -, a letter first, a letter or digit last);
    /// anything else (options, lower case) goes through `PolygonTicker.symbol(from:)`.
    private static func symbol(_ reader: inout PolygonByteReader, _ slot: Int) -> Symbol? {
        guard slot >= 0 else { return nil }
        reader.index = slot
        guard let range = reader.string() else { return nil }
        if isPlainTicker(reader, range) { return Symbol(trusted: reader.text(range)) }
        return PolygonTicker.symbol(from: reader.text(range))
    }

    private static func isPlainTicker(_ reader: PolygonByteReader, _ range: Range<Int>) -> Bool {
        guard (1...Symbol.maxEquityLength).contains(range.count) else { return false }
        func upper(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
        func digit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
        let bytes = reader.bytes
        guard upper(bytes[range.lowerBound]), upper(bytes[range.upperBound - 1]) || digit(bytes[range.upperBound - 1]) else {
            return false
        }
        for index in range {
            let byte = bytes[index]
            guard upper(byte) || digit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: "-") else { return false }
        }
        return true
    }
}
