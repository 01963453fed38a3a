import Foundation

/// One bin of the R histogram: trades whose R multiple is in [from, to).
public struct RHistogramBin: Sendable, Hashable, Encodable {
    public var from: Decimal
    public var to: Decimal
    public var trades: Int
}

/// One point of the MAE/MFE scatter: a closed trade's excursions and result.
public struct ExcursionPoint: Sendable, Hashable, Encodable {
    public var entryID: UUID
    public var symbol: String
    public var mae: Decimal
    public var mfe: Decimal
    public var maeR: Decimal?
    public var mfeR: Decimal?
    public var pnl: Decimal
    public var r: Decimal?

    enum CodingKeys: String, CodingKey {
        case entryID = "entry_id"
        case symbol, mae, mfe
        case maeR = "mae_r"
        case mfeR = "mfe_r"
        case pnl, r
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entryID.uuidString.lowercased(), forKey: .entryID)
        try c.encode(symbol, forKey: .symbol)
        try c.encode(mae, forKey: .mae)
        try c.encode(mfe, forKey: .mfe)
        try c.encode(maeR, forKey: .maeR)
        try c.encode(mfeR, forKey: .mfeR)
        try c.encode(pnl, forKey: .pnl)
        try c.encode(r, forKey: .r)
    }
}

/// Longest runs of wins and losses in close order, and the run the last trade is part of.
public struct Streaks: Sendable, Hashable, Encodable {
    public var longestWin: Int = 0
    public var longestLoss: Int = 0
    /// `win`, `loss` or `breakeven`; nil without trades.
    public var current: String?
    public var currentLength: Int = 0

    enum CodingKeys: String, CodingKey {
        case longestWin = "longest_win"
        case longestLoss = "longest_loss"
        case current
        case currentLength = "current_length"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(longestWin, forKey: .longestWin)
        try c.encode(longestLoss, forKey: .longestLoss)
        try c.encode(current, forKey: .current)
        try c.encode(currentLength, forKey: .currentLength)
    }
}

/// One New York day of the journal calendar.
public struct JournalDay: Sendable, Hashable, Encodable {
    /// `yyyy-MM-dd`, the New York date the trades closed.
    public var date: String
    public var pnl: Decimal
    public var trades: Int
    /// Sum of the R multiples of the day's trades that have one (2 places); nil if none has.
    public var r: Decimal?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encode(pnl, forKey: .pnl)
        try c.encode(trades, forKey: .trades)
        try c.encode(r, forKey: .r)
    }

    enum CodingKeys: String, CodingKey { case date, pnl, trades, r }
}

/// The days of one month (`yyyy-MM`, New York dates of the close) on which trades closed.
public enum JournalCalendar {
    public static func days(_ entries: [JournalEntry], month: String) -> [JournalDay] {
        var days: [String: (pnl: Decimal, trades: Int, r: Decimal?)] = [:]
        for entry in entries {
            let metrics = entry.metrics
            guard let pnl = metrics.pnl else { continue }
            let date = MarketTime.day(of: entry.closedAt ?? entry.openedAt)
            guard date.hasPrefix(month + "-") else { continue }
            var day = days[date] ?? (0, 0, nil)
            day.pnl += pnl
            day.trades += 1
            if let r = metrics.rMultiple { day.r = (day.r ?? 0) + r }
            days[date] = day
        }
        return days.keys.sorted().map { date in
            let day = days[date]!
            return JournalDay(date: date, pnl: day.pnl, trades: day.trades, r: day.r?.rounded(scale: 2))
        }
    }
}

extension JournalStats {
    public static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    public static let histogramBin = Decimal(string: "0.5")!

    /// The views by time, session and setup, the R histogram, the streaks and the MAE/MFE points
    /// (docs/journal.md, "Stats"). `trades` are the closed trades in close order.
    mutating func addViews(
        _ trades: [(entry: JournalEntry, pnl: Decimal, r: Decimal?)], calendar: MarketCalendar, reviews: [UUID: TradeReview]
    ) {
        var weekdays: [String: Tally] = [:], hours: [String: Tally] = [:], sessions: [String: Tally] = [:]
        var bins: [Int: Int] = [:]
        var streaks = Streaks()
        var points: [ExcursionPoint] = []
        for trade in trades {
            let parts = MarketTime.calendar.dateComponents([.hour, .weekday], from: trade.entry.openedAt)
            let weekday = Self.weekdayNames[((parts.weekday ?? 1) + 5) % 7]
            let hour = parts.hour ?? 0
            weekdays[weekday, default: Tally()].add(pnl: trade.pnl, r: trade.r, fees: trade.entry.fees)
            hours[(hour < 10 ? "0" : "") + "\(hour)", default: Tally()].add(pnl: trade.pnl, r: trade.r, fees: trade.entry.fees)
            sessions[calendar.session(at: trade.entry.openedAt).rawValue, default: Tally()]
                .add(pnl: trade.pnl, r: trade.r, fees: trade.entry.fees)
            if let r = trade.r {
                let quotient = r / Self.histogramBin
                var index = NSDecimalNumber(decimal: quotient.rounded(scale: 0, .down)).intValue
                if Decimal(index) > quotient { index -= 1 }  // a floor, whatever the mode does with negatives
                bins[index, default: 0] += 1
            }
            let kind = trade.pnl > 0 ? "win" : trade.pnl < 0 ? "loss" : "breakeven"
            streaks.currentLength = streaks.current == kind ? streaks.currentLength + 1 : 1
            streaks.current = kind
            if kind == "win" { streaks.longestWin = max(streaks.longestWin, streaks.currentLength) }
            if kind == "loss" { streaks.longestLoss = max(streaks.longestLoss, streaks.currentLength) }
            if let review = reviews[trade.entry.id] {
                points.append(ExcursionPoint(
                    entryID: trade.entry.id, symbol: trade.entry.symbol.rawValue, mae: review.mae, mfe: review.mfe,
                    maeR: review.maeR, mfeR: review.mfeR, pnl: trade.pnl, r: trade.r))
            }
        }
        byWeekday = weekdays.mapValues(\.group)
        byHour = hours.mapValues(\.group)
        bySession = sessions.mapValues(\.group)
        bySetup = byTag
        if let low = bins.keys.min(), let high = bins.keys.max() {
            rHistogram = (low...high).map { index in
                RHistogramBin(from: Decimal(index) * Self.histogramBin, to: Decimal(index + 1) * Self.histogramBin, trades: bins[index] ?? 0)
            }
        }
        self.streaks = streaks
        maeMfe = points
    }
}
