import Foundation

/// A JSON value the Tradier fake writes, with members in a fixed order and numbers as text, so
/// answers carry Tradier's long decimal tails (`6363.860000000000000000000000`).
enum TradierFakeValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([TradierFakeValue])
    case object([(String, TradierFakeValue)])

    /// A money or quantity value with Tradier's long zero tail.
    static func long(_ value: Decimal) -> TradierFakeValue {
        let text = "\(value)"
        return .number(text.contains(".") ? text + "000000000000000000" : text + ".000000000000000000")
    }

    static func long(_ value: Decimal?) -> TradierFakeValue { value.map(long) ?? .null }

    static func int(_ value: Int) -> TradierFakeValue { .number("\(value)") }

    /// Tradier's collection quirk: none → `"null"` (or JSON null), one → the object, more → an array.
    static func collection(_ wrapper: String, _ items: [TradierFakeValue], jsonNull: Bool) -> TradierFakeValue {
        switch items.count {
        case 0: jsonNull ? .null : .string("null")
        case 1: .object([(wrapper, items[0])])
        default: .object([(wrapper, .array(items))])
        }
    }

    /// `{"errors":{"error":…}}`: a string for one message (or when asked), else an array.
    static func errors(_ messages: [String], singleString: Bool = false) -> TradierFakeValue {
        let error: TradierFakeValue = messages.count == 1 || singleString
            ? .string(messages.joined(separator: "; ")) : .array(messages.map(TradierFakeValue.string))
        return .object([("errors", .object([("error", error)]))])
    }

    var json: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text
        case .string(let text): Self.quote(text)
        case .array(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { Self.quote($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
        }
    }

    /// The XML Tradier answers without `Accept: application/json`: `{"orders":{"order":[…]}}`
    /// becomes `<orders><order>…</order><order>…</order></orders>`.
    var xmlDocument: String {
        #"<?xml version="1.0" encoding="UTF-8"?>"# + xml(name: nil)
    }

    private func xml(name: String?) -> String {
        func element(_ tag: String, _ content: String) -> String { "<\(tag)>\(content)</\(tag)>" }
        switch self {
        case .null: return name.map { "<\($0)/>" } ?? ""
        case .bool(let value): return element(name ?? "value", value ? "true" : "false")
        case .number(let text): return element(name ?? "value", text)
        case .string(let text): return element(name ?? "value", Self.escapeXML(text))
        case .array(let items): return items.map { $0.xml(name: name ?? "item") }.joined()
        case .object(let members):
            let inner = members.map { $0.1.xml(name: $0.0) }.joined()
            return name.map { element($0, inner) } ?? inner
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20: out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func escapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `2018-06-01T12:02:29.682Z`.
    static func isoDate(_ date: Date) -> TradierFakeValue {
        .string(format(date, zone: TimeZone(secondsFromGMT: 0) ?? .gmt) + "Z")
    }

    /// `2019-05-14T15:56:47.371`: New York wall clock without a zone (preview `request_date`).
    static func zonelessDate(_ date: Date) -> TradierFakeValue {
        .string(format(date, zone: TimeZone(identifier: "America/New_York") ?? .gmt))
    }

    private static func format(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let ms = (c.nanosecond ?? 0) / 1_000_000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0, ms)
    }
}
