import Foundation
import TradingDomain

/// The columns of a replay CSV, found from its header row, and the parsing of one data row.
struct ReplayLayout: Sendable {
    static let ticksHeader = "time,symbol,price,size[,bid,ask[,bid_size,ask_size]]"
    static let barsHeader = "time,symbol,open,high,low,close,volume[,vwap][,timespan]"

    private static let tickRequired = ["time", "symbol", "price", "size"]
    private static let tickOptional = ["bid", "ask", "bid_size", "ask_size"]
    private static let barRequired = ["time", "symbol", "open", "high", "low", "close", "volume"]
    private static let barOptional = ["vwap", "timespan"]

    let kind: ReplayFile.Kind
    private let columns: [String: Int]
    private let width: Int

    init(header: Substring) throws(ReplayFields.Message) {
        let names = ReplayFields.split(header).map { $0.lowercased() }
        var columns: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard columns[name] == nil else { throw ReplayFields.Message("the header names column '\(name)' twice") }
            columns[name] = index
        }
        let isTicks = columns["price"] != nil
        let isBars = columns["open"] != nil || columns["close"] != nil
        guard isTicks != isBars else {
            throw ReplayFields.Message(
                "the header must be \(Self.ticksHeader) (ticks) or \(Self.barsHeader) (bars), not '\(header)'")
        }
        kind = isTicks ? .ticks : .bars
        let required = isTicks ? Self.tickRequired : Self.barRequired
        let allowed = Set(required + (isTicks ? Self.tickOptional : Self.barOptional))
        if let missing = required.first(where: { columns[$0] == nil }) {
            throw ReplayFields.Message("the \(kind.rawValue) header has no '\(missing)' column; expected \(isTicks ? Self.ticksHeader : Self.barsHeader)")
        }
        if let unknown = names.first(where: { !allowed.contains($0) }) {
            throw ReplayFields.Message("unknown column '\(unknown)'; a \(kind.rawValue) file has \(isTicks ? Self.ticksHeader : Self.barsHeader)")
        }
        if isTicks, (columns["bid"] == nil) != (columns["ask"] == nil) {
            throw ReplayFields.Message("columns 'bid' and 'ask' must come together")
        }
        self.columns = columns
        self.width = names.count
    }

    /// The events of one data row (a trade; a quote and a trade; or a bar).
    func parse(_ cells: [Substring]) -> Result<[MarketEvent], ReplayFields.Message> {
        guard cells.count == width else {
            return .failure(ReplayFields.Message("expected \(width) fields as in the header, found \(cells.count)"))
        }
        do {
            let time = try ReplayFields.time(cell("time", cells)).get()
            let symbol = try ReplayFields.symbol(cell("symbol", cells)).get()
            return .success(kind == .ticks ? try tick(cells, symbol, time) : [try bar(cells, symbol, time)])
        } catch let problem as ReplayFields.Message {
            return .failure(problem)
        } catch {
            return .failure(ReplayFields.Message("\(error)"))
        }
    }

    private func cell(_ name: String, _ cells: [Substring]) -> Substring {
        columns[name].map { cells[$0] } ?? ""
    }

    private func number(_ name: String, _ cells: [Substring], positive: Bool = true) throws -> Decimal {
        try ReplayFields.number(cell(name, cells), column: name, positive: positive).get()
    }

    private func tick(_ cells: [Substring], _ symbol: Symbol, _ time: Date) throws -> [MarketEvent] {
        let trade = Trade(symbol: symbol, price: try number("price", cells), size: try number("size", cells), time: time)
        guard columns["bid"] != nil, !(cell("bid", cells).isEmpty && cell("ask", cells).isEmpty) else {
            return [.trade(trade)]
        }
        let bid = try number("bid", cells)
        let ask = try number("ask", cells)
        guard bid <= ask else { throw ReplayFields.Message("bid \(bid) is above ask \(ask)") }
        let bidSize = cell("bid_size", cells).isEmpty ? 0 : try number("bid_size", cells, positive: false)
        let askSize = cell("ask_size", cells).isEmpty ? 0 : try number("ask_size", cells, positive: false)
        let quote = BidAsk(symbol: symbol, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize, time: time)
        return [.quote(quote), .trade(trade)]
    }

    private func bar(_ cells: [Substring], _ symbol: Symbol, _ time: Date) throws -> MarketEvent {
        let open = try number("open", cells)
        let high = try number("high", cells)
        let low = try number("low", cells)
        let close = try number("close", cells)
        let volume = try number("volume", cells, positive: false)
        guard low <= high else { throw ReplayFields.Message("low \(low) is above high \(high)") }
        guard open >= low, open <= high, close >= low, close <= high else {
            throw ReplayFields.Message("open and close must lie between low \(low) and high \(high)")
        }
        let vwap = cell("vwap", cells).isEmpty ? nil : try number("vwap", cells)
        let timespanText = cell("timespan", cells).lowercased()
        guard let timespan = timespanText.isEmpty ? .minute : Timespan(rawValue: timespanText) else {
            throw ReplayFields.Message("timespan must be 'minute' or 'day', not '\(timespanText)'")
        }
        return .bar(Bar(
            symbol: symbol, timespan: timespan, start: time, open: open, high: high, low: low, close: close,
            volume: volume, vwap: vwap))
    }
}
