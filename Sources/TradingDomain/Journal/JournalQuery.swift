import Foundation

/// Filters and page position for listing journal entries, newest first
/// (ordered by `opened_at` descending, then `id` descending, so pages are stable).
public struct JournalQuery: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let maxLimit = 200

    public var symbol: Symbol?
    public var tag: String?
    public var status: JournalEntry.Status?
    /// Entries opened at or after this time.
    public var from: Date?
    /// Entries opened before this time.
    public var to: Date?
    public var limit: Int
    public var after: PageCursor?

    public init(
        symbol: Symbol? = nil, tag: String? = nil, status: JournalEntry.Status? = nil,
        from: Date? = nil, to: Date? = nil, limit: Int = JournalQuery.defaultLimit, after: PageCursor? = nil
    ) {
        self.symbol = symbol
        self.tag = tag
        self.status = status
        self.from = from
        self.to = to
        self.limit = limit
        self.after = after
    }
}

/// One page of journal entries and the cursor for the next page (nil at the end).
public struct JournalPage: Sendable, Hashable {
    public var entries: [JournalEntry]
    public var nextCursor: PageCursor?

    public init(entries: [JournalEntry], nextCursor: PageCursor?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}

extension Date {
    /// Milliseconds since 1970, the precision at which times are stored and compared.
    public var epochMilliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(epochMilliseconds) / 1000)
    }

    /// The same instant truncated to whole milliseconds (what storage keeps).
    public var truncatedToMilliseconds: Date { Date(epochMilliseconds: epochMilliseconds) }
}
