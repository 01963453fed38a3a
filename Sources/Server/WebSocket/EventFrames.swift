import Foundation
import TradingDomain
import TradingEngine

/// Server → client frames: `{"type": T, "data": {...}, "ts": "…"}`.
/// Price frames are built by hand (they are the hot path: one per quote change per client);
/// the rest go through `JSONEncoder`.
package enum EventFrames {
    /// The frame of a queued (non-price) event, or of the first price in a batch.
    static func frame(for event: ServerEvent, now: Date) -> String {
        let ts = ISO8601.format(now)
        switch event {
        case .prices(let quotes):
            return quotes.first.map { priceFrame($0, stale: false, ts: now) } ?? ""
        case .status(let notice):
            return envelope(type: "status", data: StatusDTO(notice), ts: ts)
        case .alert(let firing):
            return envelope(type: "alert", data: AlertFiringDTO(firing), ts: ts)
        case .order(let record):
            return envelope(type: "order", data: OrderDTO(record), ts: ts)
        case .fill(let fill):
            return envelope(type: "fill", data: FillDTO(fill), ts: ts)
        case .position(let change):
            return envelope(type: "position", data: PositionDTO(change), ts: ts)
        case .risk(let report):
            return envelope(type: "risk", data: RiskDTO(report), ts: ts)
        case .riskFiring(let firing):
            return envelope(type: "alert", data: RiskFiringDTO(firing), ts: ts)
        }
    }

    /// A `price` frame; `ts` is when the server received the data (the same for every client).
    package static func priceFrame(_ quote: Quote, stale: Bool, ts: Date) -> String {
        #"{"type":"price","data":"# + priceData(quote, stale: stale) + #","ts":""# + ISO8601.format(ts) + #""}"#
    }

    static func envelope(type: String, data: some Encodable, ts: String) -> String {
        let body = (try? JSONEncoder.api.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return #"{"type":""# + type + #"","data":"# + body + #","ts":""# + ts + #""}"#
    }

    /// The quote as the API shows it (also used by `GET /api/v1/quotes`).
    static func priceData(_ quote: Quote, stale: Bool) -> String {
        var fields: [String] = []
        fields.reserveCapacity(16)
        fields.append(#""symbol":""# + quote.symbol.rawValue + #"""#)
        func number(_ key: String, _ value: Decimal?) {
            fields.append("\"\(key)\":" + (value.map { "\($0)" } ?? "null"))
        }
        number("last", quote.last)
        number("bid", quote.bid)
        number("ask", quote.ask)
        number("bid_size", quote.bidSize)
        number("ask_size", quote.askSize)
        number("change", quote.change)
        number("change_pct", quote.changePct)
        number("prev_close", quote.previousClose)
        number("day_open", quote.dayOpen)
        number("day_high", quote.dayHigh)
        number("day_low", quote.dayLow)
        number("volume", quote.volume)
        fields.append(#""as_of":""# + ISO8601.format(quote.asOf) + #"""#)
        fields.append(#""source":""# + quote.source + #"""#)
        fields.append(#""stale":"# + (stale ? "true" : "false"))
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// `status` data: the kind and message always; the feed, and the market session (kind
    /// `session` and the `connected` greeting: the fields of `GET /api/v1/market/status`), when known.
    struct StatusDTO: Encodable {
        var kind: String
        var message: String
        var feed: FeedStatusDTO?
        var stale_symbols: [String]
        var session: String?
        var is_open: Bool?
        var next_open: Date?
        var next_close: Date?
        var early_close: Bool?
        var holiday: String?

        init(_ notice: StatusNotice) {
            kind = notice.kind
            message = notice.message
            feed = notice.feed.map(FeedStatusDTO.init)
            stale_symbols = notice.staleSymbols.map(\.rawValue)
            if let market = notice.market {
                session = market.session.rawValue
                is_open = market.isOpen
                next_open = market.nextOpen
                next_close = market.nextClose
                early_close = market.earlyClose
                holiday = market.holiday
            }
        }
    }

    struct FeedStatusDTO: Encodable, Sendable {
        var provider: String
        var state: String
        var detail: String
        var last_message_at: Date?
        var reconnects: Int
        var messages: Int

        init(_ status: FeedStatus) {
            provider = status.provider
            state = status.state.rawValue
            detail = status.detail
            last_message_at = status.lastMessageAt
            reconnects = status.reconnects
            messages = status.messages
        }
    }
}
