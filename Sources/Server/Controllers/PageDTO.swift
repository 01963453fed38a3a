import TradingDomain

/// One page of a newest-first list: `{"items": [...], "next_cursor": "…" | null}`.
struct PageDTO<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var next: PageCursor?

    enum CodingKeys: String, CodingKey { case items, next_cursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(next?.token, forKey: .next_cursor)
    }
}
