import Foundation
import TradingDomain

/// Reads a fills file for `POST /api/v1/journal/import` (docs/journal.md, "Import and export").
/// Every line is checked on its own: a bad line is reported with its number and never imported in
/// part; a missing required column fails the whole file (field `csv`).
public enum JournalImportInput {
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// One fill a line: `time, symbol, side, quantity, price` and optional `fill_id, commission,
        /// stop, target, tags, trade_id` (the export writes this format).
        case generic
        /// Tradier's gain/loss (closed positions): `symbol, quantity, open_date, close_date, cost,
        /// proceeds` (names as in `GET /v1/accounts/{id}/gainloss`, https://docs.tradier.com).
        case tradierGainLoss = "tradier_gainloss"
    }

    public struct LineError: Sendable, Hashable, Error {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public struct Parsed: Sendable, Hashable {
        public var format: Format
        /// The fills of the good lines, in file order (a gain/loss line gives two).
        public var fills: [ImportedFill]
        public var errors: [LineError]
        /// Data lines read (the header not counted).
        public var lines: Int
    }

    public static let maxLines = 50_000

    /// Parses `text`; `format` nil picks the format from the header.
    public static func parse(_ text: String, format: Format?) throws(ValidationFailure) -> Parsed {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch {
            guard case .unterminatedQuote(let line) = error else { throw ValidationFailure(field: "csv", message: "is not CSV") }
            throw ValidationFailure(field: "csv", message: "has a quoted field opened on line \(line) that never closes")
        }
        guard let header = records.first else { throw ValidationFailure(field: "csv", message: "is empty; the first line names the columns") }
        guard records.count - 1 <= maxLines else {
            throw ValidationFailure(field: "csv", message: "has more than \(maxLines) lines; split the file")
        }
        let names = header.fields.map(normalize)
        var columns: [String: Int] = [:]
        for (index, name) in names.enumerated() where columns[name] == nil { columns[name] = index }
        let chosen = format ?? (columns["open_date"] != nil && columns["proceeds"] != nil ? .tradierGainLoss : .generic)
        let required = chosen == .generic ? ["time", "symbol", "side", "quantity", "price"]
            : ["symbol", "quantity", "open_date", "close_date", "cost", "proceeds"]
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw ValidationFailure(field: "csv", message: "lacks the column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) for the \(chosen.rawValue) format (header: \(names.joined(separator: ",")))")
        }
        var parsed = Parsed(format: chosen, fills: [], errors: [], lines: records.count - 1)
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            let row = Row(record: record, columns: columns)
            do {
                var fills = chosen == .generic ? try generic(row) : try gainLoss(row)
                // The same fingerprint twice in one file is two fills (numbered, so a re-import matches).
                let key = fills[0].id
                seen[key, default: 0] += 1
                if let count = seen[key], count > 1 {
                    for index in fills.indices {
                        fills[index].id += "#\(count)"
                        if fills[index].tradeID == key { fills[index].tradeID = key + "#\(count)" }
                    }
                }
                parsed.fills += fills
            } catch {
                parsed.errors.append(error)
            }
        }
        return parsed
    }

    /// `Open Date` → `open_date`, `Gain/Loss` → `gain_loss`.
    static func normalize(_ name: String) -> String {
        var text = name.trimmingWhitespace().lowercased()
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return String(text.map { $0 == " " || $0 == "/" || $0 == "-" ? "_" : $0 })
    }

    struct Row {
        var record: CSV.Record
        var columns: [String: Int]

        var line: Int { record.line }

        func text(_ name: String) -> String? {
            guard let index = columns[name], index < record.fields.count else { return nil }
            let value = record.fields[index].trimmingWhitespace()
            return value.isEmpty ? nil : value
        }

        func fail(_ message: String) -> LineError { LineError(line: line, message: message) }

        func required(_ name: String) throws(LineError) -> String {
            guard let value = text(name) else { throw fail("\(name): is required") }
            return value
        }

        func decimal(_ name: String, positive: Bool = true, optional: Bool = false) throws(LineError) -> Decimal? {
            guard let text = text(name) else {
                if optional { return nil }
                throw fail("\(name): is required")
            }
            let cleaned = text.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "")
            guard let value = Decimal(string: cleaned, locale: Locale(identifier: "en_US_POSIX")),
                  cleaned.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" })
            else { throw fail("\(name): '\(text)' is not a number") }
            if positive && value <= 0 { throw fail("\(name): must be greater than 0") }
            if !positive && value < 0 { throw fail("\(name): must be at least 0") }
            if value.fractionDigits > 6 { throw fail("\(name): has more than 6 decimal places") }
            if value > JournalInput.maxPrice { throw fail("\(name): must be at most \(JournalInput.maxPrice)") }
            return value
        }

        func symbol() throws(LineError) -> Symbol {
            let text = try required("symbol")
            do { return try Symbol(validating: text) } catch {
                throw fail("symbol: \(error.errors.first?.message ?? "is not a symbol")")
            }
        }
    }

    // MARK: generic fills

    static let actions: [String: OrderAction] = {
        var map: [String: OrderAction] = [:]
        for action in OrderAction.allCases { map[action.rawValue] = action }
        map["b"] = .buy
        map["s"] = .sell
        map["bot"] = .buy
        map["sld"] = .sell
        map["short"] = .sellShort
        map["ss"] = .sellShort
        map["cover"] = .buyToCover
        map["bto"] = .buyToOpen
        map["btc"] = .buyToClose
        map["sto"] = .sellToOpen
        map["stc"] = .sellToClose
        return map
    }()

    static func generic(_ row: Row) throws(LineError) -> [ImportedFill] {
        let symbol = try row.symbol()
        let sideText = try row.required("side")
        guard let action = actions[sideText.lowercased().replacingOccurrences(of: " ", with: "_")] else {
            throw row.fail("side: '\(sideText)' is not one of buy, sell, sell_short, buy_to_cover, buy_to_open, sell_to_close, …")
        }
        let quantity = try row.decimal("quantity")!
        if symbol.isOption && !quantity.isWhole { throw row.fail("quantity: must be a whole number of contracts for options") }
        if quantity > JournalInput.maxQuantity { throw row.fail("quantity: must be at most \(JournalInput.maxQuantity)") }
        let price = try row.decimal("price")!
        let commission = try row.decimal("commission", positive: false, optional: true) ?? 0
        let timeText = try row.required("time")
        guard let time = parseTime(timeText) else {
            throw row.fail("time: '\(timeText)' is not an ISO-8601 time with a zone or 'yyyy-MM-dd HH:mm[:ss]' (New York)")
        }
        let stop = try row.decimal("stop", optional: true)
        var targets: [Decimal] = []
        if let text = row.text("target") ?? row.text("targets") {
            for part in text.split(whereSeparator: { $0 == ";" || $0 == " " }) {
                guard let value = Decimal(string: String(part)), value > 0 else {
                    throw row.fail("target: '\(part)' is not a price")
                }
                targets.append(value)
            }
        }
        var tags: [String] = []
        if let text = row.text("tags") {
            for part in text.split(whereSeparator: { $0 == ";" || $0 == "|" }) {
                guard let tag = JournalInput.normalizeTag(String(part)) else {
                    throw row.fail("tags: '\(part)' must be 1-32 characters of a-z, 0-9 and '-'")
                }
                if !tags.contains(tag) { tags.append(tag) }
            }
        }
        let id = row.text("fill_id") ?? row.text("execution_id")
            ?? "fp:\(time.epochMilliseconds)|\(symbol.rawValue)|\(action.isBuy ? "B" : "S")|\(quantity)|\(price)"
        return [ImportedFill(
            line: row.line, id: id, symbol: symbol, action: action, quantity: quantity, price: price,
            commission: commission, time: time, stop: stop, targets: targets, tags: tags, tradeID: row.text("trade_id"))]
    }

    /// ISO-8601 with a zone, or `yyyy-MM-dd HH:mm[:ss]` / `yyyy-MM-ddTHH:mm[:ss]` taken as New York time.
    static func parseTime(_ text: String) -> Date? {
        if let date = ISO8601.parse(text) { return date }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = parseDay(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }) else { return nil }
        let hour = clock[0]!, minute = clock[1]!, second = clock.count == 3 ? clock[2]! : 0
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return newYork(day, hour: hour, minute: minute, second: second)
    }

    /// `yyyy-MM-dd` (also the date part of an ISO time) or `MM/dd/yyyy`.
    static func parseDay(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let trimmed = text.trimmingWhitespace()
        var numbers: [Int?]
        if trimmed.contains("/") {
            numbers = trimmed.split(separator: "/").map { Int($0) }
            guard numbers.count == 3 else { return nil }
            numbers = [numbers[2], numbers[0], numbers[1]]
        } else {
            numbers = trimmed.prefix(10).split(separator: "-").map { Int($0) }
        }
        guard numbers.count == 3, let year = numbers[0], let month = numbers[1], let day = numbers[2],
              (1970...2100).contains(year), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return (year, month, day)
    }

    static func newYork(_ day: (year: Int, month: Int, day: Int), hour: Int, minute: Int, second: Int = 0) -> Date? {
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute, second: second)
        guard let date = MarketTime.calendar.date(from: components),
              MarketTime.calendar.component(.day, from: date) == day.day
        else { return nil }
        return date
    }

    // MARK: Tradier gain/loss

    /// One closed position: the opening fill at the open date's 09:30 and the closing fill at the
    /// close date's 16:00 (New York; the file gives dates only), prices from cost and proceeds.
    static func gainLoss(_ row: Row) throws(LineError) -> [ImportedFill] {
        let symbol = try row.symbol()
        let quantityText = try row.required("quantity")
        guard let signed = Decimal(string: quantityText), signed != 0, signed.magnitudeValue <= JournalInput.maxQuantity else {
            throw row.fail("quantity: '\(quantityText)' is not a non-zero number")
        }
        let quantity = signed.magnitudeValue
        if symbol.isOption && !quantity.isWhole { throw row.fail("quantity: must be a whole number of contracts for options") }
        let cost = try row.decimal("cost")!
        let proceeds = try row.decimal("proceeds", positive: false)!
        let openText = try row.required("open_date"), closeText = try row.required("close_date")
        guard let openDay = parseDay(openText), let opened = newYork(openDay, hour: 9, minute: 30) else {
            throw row.fail("open_date: '\(openText)' is not a date (yyyy-MM-dd or MM/dd/yyyy)")
        }
        guard let closeDay = parseDay(closeText), let closed = newYork(closeDay, hour: 16, minute: 0) else {
            throw row.fail("close_date: '\(closeText)' is not a date (yyyy-MM-dd or MM/dd/yyyy)")
        }
        guard closed >= opened else { throw row.fail("close_date: is before open_date") }
        let units = quantity * Decimal(symbol.isOption ? 100 : 1)
        let long = signed > 0
        // A long buys for the cost and sells for the proceeds; a short sells for the proceeds first.
        let openPrice = ((long ? cost : proceeds) / units).rounded(scale: 6)
        let closePrice = ((long ? proceeds : cost) / units).rounded(scale: 6)
        guard openPrice > 0, closePrice > 0 else { throw row.fail("proceeds: must be greater than 0") }
        let id = "tradier-gl:\(symbol.rawValue)|\(openDay.year)-\(openDay.month)-\(openDay.day)|\(closeDay.year)-\(closeDay.month)-\(closeDay.day)|\(signed)|\(cost)|\(proceeds)"
        let option = symbol.isOption
        let openAction: OrderAction = long ? (option ? .buyToOpen : .buy) : (option ? .sellToOpen : .sellShort)
        let closeAction: OrderAction = long ? (option ? .sellToClose : .sell) : (option ? .buyToClose : .buyToCover)
        return [
            ImportedFill(line: row.line, id: id, symbol: symbol, action: openAction, quantity: quantity, price: openPrice,
                         commission: 0, time: opened, tradeID: id),
            ImportedFill(line: row.line, id: id + "|close", symbol: symbol, action: closeAction, quantity: quantity,
                         price: closePrice, commission: 0, time: closed, tradeID: id),
        ]
    }
}
