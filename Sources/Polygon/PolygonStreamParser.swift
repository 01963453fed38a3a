import Foundation
import TradingDomain

/// A status message on the WebSocket's `ev:"status"` channel (docs/vendors.md §1.2).
public enum PolygonStatus: Sendable, Hashable {
    /// `connected`: sent right after the socket opens; send `auth` next.
    case connected
    /// `auth_success`, or the legacy `success` + `authenticated`: send the subscriptions next.
    case authSuccess
    /// `auth_failed`, or the legacy `error` + `authentication failed`. Fatal: stop retrying.
    case authFailed(message: String)
    /// `max_connections`: another connection holds the slot. Back off hard (or stop).
    case maxConnections(message: String)
    /// `success` + `subscribed to: T.AAPL[,Q.AAPL…]` (one ack per topic, or one listing all).
    case subscribed(topics: [String])
    /// `success` + `unsubscribed to: …` (vendor mock wording) or `unsubscribed from: …`.
    case unsubscribed(topics: [String])
    /// Anything else, kept verbatim for the log (e.g. `error` with another message).
    case other(status: String, message: String)

    /// True when reconnecting with the same key cannot help right away.
    public var isFatal: Bool {
        switch self {
        case .authFailed, .maxConnections: true
        default: false
        }
    }

    public init(status: String, message: String) {
        let lowered = message.lowercased()
        switch status.lowercased() {
        case "connected":
            self = .connected
        case "auth_success":
            self = .authSuccess
        case "auth_failed":
            self = .authFailed(message: message)
        case "max_connections":
            self = .maxConnections(message: message)
        case "success" where lowered == "authenticated":
            self = .authSuccess
        case "success" where lowered.hasPrefix("subscribed to:"):
            self = .subscribed(topics: Self.topics(in: message, after: "subscribed to:"))
        case "success" where lowered.hasPrefix("unsubscribed to:"):
            self = .unsubscribed(topics: Self.topics(in: message, after: "unsubscribed to:"))
        case "success" where lowered.hasPrefix("unsubscribed from:"):
            self = .unsubscribed(topics: Self.topics(in: message, after: "unsubscribed from:"))
        case "error" where lowered.contains("authentication failed"):
            self = .authFailed(message: message)
        default:
            self = .other(status: status, message: message)
        }
    }

    private static func topics(in message: String, after prefix: String) -> [String] {
        message.dropFirst(prefix.count)
            .split(separator: ",")
            .map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }
}

/// Everything one server→client frame carried. A frame never fails as a whole: good elements are
/// kept, bad ones are counted in `malformed` with a few descriptions in `problems` for the log.
public struct PolygonFrame: Sendable, Hashable {
    /// Trades (`T`), quotes (`Q`) and minute bars (`AM`), in frame order.
    public var events: [MarketEvent] = []
    /// Status messages, in frame order.
    public var statuses: [PolygonStatus] = []
    /// Elements whose `ev` we do not know (skipped, as both vendor SDKs do).
    public var unknownEvents = 0
    /// Known events we deliberately do not map: `A` per-second aggregates (the domain has no
    /// per-second `Timespan`; trades already carry the price, and `AM` gives the minute bars).
    public var ignoredEvents = 0
    /// Elements (or a whole frame) that could not be understood.
    public var malformed = 0
    /// Up to `maxProblems` short descriptions of what was malformed.
    public var problems: [String] = []

    public static let maxProblems = 5

    public init() {}

    mutating func add(_ element: PolygonStreamElement) {
        switch element {
        case .event(let event): events.append(event)
        case .status(let status): statuses.append(status)
        case .ignored: ignoredEvents += 1
        case .unknown: unknownEvents += 1
        case .malformed(let problem): addProblem(problem)
        }
    }

    mutating func addProblem(_ problem: String) {
        malformed += 1
        if problems.count < Self.maxProblems { problems.append(problem) }
    }
}

/// Parses Polygon/Massive stocks WebSocket frames (docs/vendors.md §1.2–1.3).
///
/// Mapping: `T` → `.trade` (price `p`, size `s`, time `t` ms, conditions `c` → its `PrintRule` via
/// `PolygonTradeConditions`); `Q` → `.quote` (bid `bp`/`bs`, ask
/// `ap`/`as`, sizes passed through unscaled, missing size = 0); `AM` → `.bar` with `.minute`
/// (start `s` ms, OHLC, volume `v`, VWAP `vw` when present — not `a`, which is today's VWAP);
/// `A` → ignored (counted); `status` → `PolygonStatus`; any other `ev` → counted and skipped.
/// Symbols go through `PolygonTicker.symbol(from:)` (`O:` option tickers become our OCC symbols);
/// one that fails is a malformed element. The options cluster speaks the same events.
///
/// Frames go through the byte-level `PolygonFastParser` first; a frame it does not understand
/// (malformed elements, broken JSON, escapes, a lone object…) is parsed again here with
/// `JSONDecoder` (`parseWithFoundation`), which owns every error and salvage rule.
public enum PolygonStreamParser {
    public static func parse(frame: String) -> PolygonFrame {
        PolygonFastParser.parse(frame) ?? parseWithFoundation(frame: Data(frame.utf8))
    }

    public static func parse(frame: Data) -> PolygonFrame {
        PolygonFastParser.parse(frame) ?? parseWithFoundation(frame: frame)
    }

    /// The `JSONDecoder` path alone: the fallback, and the reference the fast path is tested and
    /// benchmarked against.
    public static func parseWithFoundation(frame: String) -> PolygonFrame {
        parseWithFoundation(frame: Data(frame.utf8))
    }

    public static func parseWithFoundation(frame: Data) -> PolygonFrame {
        var result = PolygonFrame()
        let decoder = JSONDecoder()
        if let elements = try? decoder.decode([PolygonStreamElement].self, from: frame) {
            for element in elements { result.add(element) }
            return result
        }
        // Not a JSON array (the contract says frames always are): accept a lone object, otherwise
        // the frame is broken JSON. Salvage every complete top-level object inside it.
        if let element = try? decoder.decode(PolygonStreamElement.self, from: frame) {
            result.add(element)
            return result
        }
        let slices = objectSlices(frame)
        for slice in slices {
            if let element = try? decoder.decode(PolygonStreamElement.self, from: frame.subdata(in: slice)) {
                result.add(element)
            } else {
                result.addProblem("element is not valid JSON")
            }
        }
        result.addProblem(
            "frame is not valid JSON (\(frame.count) bytes, \(slices.count) element(s) salvaged): "
                + String(decoding: frame.prefix(80), as: UTF8.self))
        return result
    }

    /// Byte ranges of the complete `{…}` objects directly inside a top-level array, found by a
    /// string-aware bracket scan. Used only when the frame as a whole is not valid JSON.
    static func objectSlices(_ bytes: Data) -> [Range<Data.Index>] {
        var slices: [Range<Data.Index>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start: Data.Index?
        for index in bytes.indices {
            let byte = bytes[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if byte == UInt8(ascii: "{"), depth == 2 { start = index }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if byte == UInt8(ascii: "}"), depth == 2, let begin = start {
                    slices.append(begin..<(index + 1))
                }
                if depth <= 2 { start = nil }
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return slices
    }
}
