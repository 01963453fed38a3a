import Foundation

// Wire shapes of the Polygon/Massive REST responses (docs/vendors.md
// section 1.5). Internal: only `PolygonRESTParser` reads them and maps them to domain types.
//
// Rules: every number that is a price, size or volume is `Decimal` (JSONDecoder parses the digits
// exactly; never `Double`), every timestamp is `Int64` (REST trades/quotes/snapshots are Unix
// nanoseconds, aggregate bars Unix milliseconds). Fields we do not use are not decoded, so their
// quirks (`lastTrade.c: null`, `fmv` only on some plans) cannot break parsing.

/// `status` / `error` / `message` present on every REST body, success or failure.
/// Decodes from any JSON value (arrays and scalars give an empty envelope), so a failed decode
/// means the body is not JSON at all.
struct EnvelopeDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?

    private enum CodingKeys: String, CodingKey { case status, error, message }

    init(status: String? = nil, error: String? = nil, message: String? = nil) {
        self.status = status
        self.error = error
        self.message = message
    }

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            _ = try decoder.singleValueContainer()
            return
        }
        status = try? container.decodeIfPresent(String.self, forKey: .status)
        error = try? container.decodeIfPresent(String.self, forKey: .error)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
    }
}

/// Decodes one element of an array without failing the whole array: a bad element becomes
/// `value == nil` with a short `problem` for the log.
struct Lossy<Wrapped: Decodable>: Decodable {
    var value: Wrapped?
    var problem: String?

    init(from decoder: any Decoder) throws {
        do {
            value = try Wrapped(from: decoder)
        } catch {
            problem = PolygonDecoding.describe(error)
        }
    }
}

// MARK: snapshots

struct SnapshotResponseDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?
    /// Batched endpoint: plural `tickers` array.
    var tickers: [Lossy<SnapshotTickerDTO>]?
    /// Single-ticker endpoint: singular `ticker` object.
    var ticker: Lossy<SnapshotTickerDTO>?
}

struct SnapshotTickerDTO: Decodable {
    var ticker: String
    var day: SnapshotDayDTO?
    var prevDay: SnapshotDayDTO?
    var lastQuote: SnapshotQuoteDTO?
    var lastTrade: SnapshotTradeDTO?
    /// Unix ns.
    var updated: Int64?
}

struct SnapshotDayDTO: Decodable {
    var o: Decimal?
    var h: Decimal?
    var l: Decimal?
    var c: Decimal?
    var v: Decimal?
    var vw: Decimal?
}

/// `P`/`S` = ask price/size, `p`/`s` = bid price/size, `t` = Unix ns.
struct SnapshotQuoteDTO: Decodable {
    var askPrice: Decimal?
    var askSize: Decimal?
    var bidPrice: Decimal?
    var bidSize: Decimal?
    var t: Int64?

    private enum CodingKeys: String, CodingKey {
        case askPrice = "P", askSize = "S", bidPrice = "p", bidSize = "s", t
    }
}

/// `p` price, `s` size, `t` Unix ns, `c` condition ids (sometimes `null`; anything but an array of
/// integers reads as none, so it cannot break the snapshot).
struct SnapshotTradeDTO: Decodable {
    var p: Decimal?
    var s: Decimal?
    var t: Int64?
    var c: [Int]?

    private enum CodingKeys: String, CodingKey { case p, s, t, c }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        p = try container.decodeIfPresent(Decimal.self, forKey: .p)
        s = try container.decodeIfPresent(Decimal.self, forKey: .s)
        t = try container.decodeIfPresent(Int64.self, forKey: .t)
        c = (try? container.decodeIfPresent([Int].self, forKey: .c)) ?? nil
    }
}

// MARK: aggregates

struct AggregatesResponseDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?
    var ticker: String?
    /// `null` or absent when the range is empty.
    var results: [Lossy<AggregateDTO>]?
    var nextURL: String?

    private enum CodingKeys: String, CodingKey {
        case status, error, message, ticker, results, nextURL = "next_url"
    }
}

struct AggregateDTO: Decodable {
    var ticker: String?
    var o: Decimal
    var h: Decimal
    var l: Decimal
    var c: Decimal
    /// Arrives as a float (`95595226.0`); exact as Decimal.
    var v: Decimal
    var vw: Decimal?
    /// Window start, Unix ms.
    var t: Int64

    private enum CodingKeys: String, CodingKey { case ticker = "T", o, h, l, c, v, vw, t }
}

// MARK: last trade / NBBO

struct LastTradeResponseDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?
    var results: LastTradeDTO?
}

struct LastTradeDTO: Decodable {
    var ticker: String
    var p: Decimal
    var s: Decimal
    /// SIP timestamp, Unix ns.
    var t: Int64

    private enum CodingKeys: String, CodingKey { case ticker = "T", p, s, t }
}

struct LastQuoteResponseDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?
    var results: LastQuoteDTO?
}

/// `p`/`s` bid, `P`/`S` ask, `t` Unix ns.
struct LastQuoteDTO: Decodable {
    var ticker: String
    var bidPrice: Decimal
    var bidSize: Decimal?
    var askPrice: Decimal
    var askSize: Decimal?
    var t: Int64

    private enum CodingKeys: String, CodingKey {
        case ticker = "T", bidPrice = "p", bidSize = "s", askPrice = "P", askSize = "S", t
    }
}

// MARK: market status

struct MarketStatusDTO: Decodable {
    var status: String?
    var error: String?
    var message: String?
    var market: String
    var earlyHours: Bool?
    var afterHours: Bool?
    var serverTime: String?
    var exchanges: [String: String]?
}

struct MarketHolidayDTO: Decodable {
    var exchange: String
    var name: String
    var date: String
    var status: String
    var open: String?
    var close: String?
}

// MARK: helpers

enum PolygonDecoding {
    /// A short, log-friendly description of a decoding failure: which field and what was wrong.
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return String(describing: error) }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return "missing '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            return "'\(path(context.codingPath))' is not \(type)"
        case .valueNotFound(let type, let context):
            return "'\(path(context.codingPath))' is null, expected \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON"
                : "'\(path(context.codingPath))' is invalid: \(context.debugDescription)"
        @unknown default:
            return String(describing: decodingError)
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}
