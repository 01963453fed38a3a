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
    public var after: JournalCursor?

    public init(
        symbol: Symbol? = nil, tag: String? = nil, status: JournalEntry.Status? = nil,
        from: Date? = nil, to: Date? = nil, limit: Int = JournalQuery.defaultLimit, after: JournalCursor? = nil
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

/// Position after the last entry of a page: its open time (ms) and id. Opaque to clients.
public struct JournalCursor: Sendable, Hashable {
    public var openedAtMs: Int64
    public var id: UUID

    public init(openedAtMs: Int64, id: UUID) {
        self.openedAtMs = openedAtMs
        self.id = id
    }

    public init(after entry: JournalEntry) {
        self.init(openedAtMs: entry.openedAt.epochMilliseconds, id: entry.id)
    }

    /// URL-safe token, e.g. `MTcwMDAwMDAwMDAwMHw…`.
    public var token: String {
        let raw = "\(openedAtMs)|\(id.uuidString)"
        return Data(raw.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard token.count <= 128,
              let data = Data(base64Encoded: base64),
              let raw = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = raw.split(separator: "|")
        guard parts.count == 2, let ms = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            return nil
        }
        self.init(openedAtMs: ms, id: id)
    }
}

/// One page of journal entries and the cursor for the next page (nil at the end).
public struct JournalPage: Sendable, Hashable {
    public var entries: [JournalEntry]
    public var nextCursor: JournalCursor?

    public init(entries: [JournalEntry], nextCursor: JournalCursor?) {
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
