import Foundation
import TradingDomain

/// A replay CSV (`TA_REPLAY_FILE`) parsed into market events sorted by time. The header row says
/// which kind of file it is (see `docs/simulation.md`):
///
///     time,symbol,price,size[,bid,ask[,bid_size,ask_size]]      ticks: a trade (and a quote)
///     time,symbol,open,high,low,close,volume[,vwap][,timespan]  bars (minute by default)
///
/// Columns may come in any order. Times are ISO-8601 with a zone or epoch milliseconds. Blank lines
/// and lines starting with `#` are skipped. Every bad row is reported with its line number (up to
/// `maxErrors`), as a `ValidationFailure` — never a crash.
public struct ReplayFile: Sendable {
    public enum Kind: String, Sendable, Hashable {
        case ticks
        case bars
    }

    public let kind: Kind
    /// Sorted by `MarketEvent.time` (a bar's time is its end); rows with equal times keep file order,
    /// and a tick row with bid/ask gives its quote before its trade.
    public let events: [MarketEvent]

    public var symbols: Set<Symbol> { Set(events.map(\.symbol)) }
    public var firstEventTime: Date? { events.first?.time }
    public var lastEventTime: Date? { events.last?.time }

    /// Reads and parses the file at `path`; a missing or unreadable file is reported against
    /// `TA_REPLAY_FILE`.
    public static func load(path: String, maxErrors: Int = 20) throws(ValidationFailure) -> ReplayFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationFailure(field: "TA_REPLAY_FILE", message: "cannot read '\(path)' as UTF-8 text")
        }
        return try parse(text, maxErrors: maxErrors)
    }

    public static func parse(_ text: String, maxErrors: Int = 20) throws(ValidationFailure) -> ReplayFile {
        // `isNewline` covers "\n", "\r" and "\r\n" (a single Character in Swift).
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().lazy
            .map { (number: $0.offset + 1, text: $0.element) }
            .filter { line in
                let trimmed = line.text.drop(while: { $0 == " " || $0 == "\t" })
                return !trimmed.isEmpty && !trimmed.hasPrefix("#")
            }
            .makeIterator()
        guard let header = lines.next() else {
            throw ValidationFailure(
                field: "line 1",
                message: "the file is empty; the first line must be a header: \(ReplayLayout.ticksHeader) or \(ReplayLayout.barsHeader)")
        }
        let layout: ReplayLayout
        do {
            layout = try ReplayLayout(header: header.text)
        } catch {
            throw ValidationFailure(field: "line \(header.number)", message: error.text)
        }

        var rows: [(time: Date, order: Int, events: [MarketEvent])] = []
        var errors: [FieldError] = []
        var badLines = 0
        while let line = lines.next() {
            switch layout.parse(ReplayFields.split(line.text)) {
            case .success(let events):
                rows.append((events[events.count - 1].time, rows.count, events))
            case .failure(let problem):
                badLines += 1
                if errors.count < maxErrors { errors.append(FieldError(field: "line \(line.number)", message: problem.text)) }
            }
        }
        if badLines > errors.count {
            errors.append(FieldError(field: "file", message: "\(badLines - errors.count) more lines have errors"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        guard !rows.isEmpty else {
            throw ValidationFailure(field: "file", message: "has a header but no data rows")
        }
        rows.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        return ReplayFile(kind: layout.kind, events: rows.flatMap(\.events))
    }
}
