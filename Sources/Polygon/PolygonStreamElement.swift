import Foundation
import TradingDomain

/// One element of a WebSocket frame, decoded by its `ev`. Decoding never throws: a bad element
/// becomes `.malformed(description)` so the rest of the array survives.
enum PolygonStreamElement: Decodable {
    case event(MarketEvent)
    case status(PolygonStatus)
    case ignored
    case unknown
    case malformed(String)

    /// One-letter keys are reused with different meanings per `ev` (docs/vendors.md §1.3):
    /// `s` = size in `T`, window start in `AM`; `c` = conditions (ids) in `T`, close in `AM`.
    private enum Key: String, CodingKey {
        case ev, sym, status, message
        case p, s, t
        case bp, bs, ap
        case askSize = "as"
        case o, h, l, c, v, vw
    }

    private struct Problem: Error {
        var text: String
    }

    init(from decoder: any Decoder) throws {
        var context = "element"
        do {
            let container = try decoder.container(keyedBy: Key.self)
            let ev = try container.decode(String.self, forKey: .ev)
            context = ev
            if let sym = try? container.decodeIfPresent(String.self, forKey: .sym) {
                context += " \(sym.prefix(24))"
            }
            self = try Self.decode(ev: ev, container)
        } catch let problem as Problem {
            self = .malformed("\(context): \(problem.text)")
        } catch {
            self = .malformed("\(context): \(PolygonDecoding.describe(error))")
        }
    }

    private static func decode(ev: String, _ container: KeyedDecodingContainer<Key>) throws -> Self {
        switch ev {
        case "status":
            let status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
            let message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
            return .status(PolygonStatus(status: status, message: message))
        case "T":
            let symbol = try symbol(container)
            // `c` is omitted for a regular sale (docs/vendors.md §1.3). Stock condition ids decide
            // what the print updates (§1.7); option trades carry OPRA ids, which are not filtered.
            let conditions = try container.decodeIfPresent([Int].self, forKey: .c) ?? []
            let trade = Trade(
                symbol: symbol,
                price: try container.decode(Decimal.self, forKey: .p),
                size: try container.decode(Decimal.self, forKey: .s),
                time: PolygonTime.date(milliseconds: try container.decode(Int64.self, forKey: .t)),
                rule: symbol.isOption ? .regular : PolygonTradeConditions.rule(for: conditions)
            )
            return .event(.trade(trade))
        case "Q":
            let quote = BidAsk(
                symbol: try symbol(container),
                bid: try container.decode(Decimal.self, forKey: .bp),
                bidSize: try container.decodeIfPresent(Decimal.self, forKey: .bs) ?? 0,
                ask: try container.decode(Decimal.self, forKey: .ap),
                askSize: try container.decodeIfPresent(Decimal.self, forKey: .askSize) ?? 0,
                time: PolygonTime.date(milliseconds: try container.decode(Int64.self, forKey: .t))
            )
            return .event(.quote(quote))
        case "AM":
            let bar = Bar(
                symbol: try symbol(container),
                timespan: .minute,
                start: PolygonTime.date(milliseconds: try container.decode(Int64.self, forKey: .s)),
                open: try container.decode(Decimal.self, forKey: .o),
                high: try container.decode(Decimal.self, forKey: .h),
                low: try container.decode(Decimal.self, forKey: .l),
                close: try container.decode(Decimal.self, forKey: .c),
                volume: try container.decodeIfPresent(Decimal.self, forKey: .v) ?? 0,
                vwap: try container.decodeIfPresent(Decimal.self, forKey: .vw)
            )
            return .event(.bar(bar))
        case "A":
            return .ignored
        default:
            return .unknown
        }
    }

    private static func symbol(_ container: KeyedDecodingContainer<Key>) throws -> Symbol {
        let raw = try container.decode(String.self, forKey: .sym)
        guard let symbol = PolygonTicker.symbol(from: raw) else {
            throw Problem(text: "'sym' is not a valid symbol")
        }
        return symbol
    }
}
