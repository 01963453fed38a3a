import FluentKit
import Foundation
import TradingDomain

extension QueryBuilder where Model.IDValue == UUID {
    /// One newest-first page ordered by (`time`, id), both descending: the rows strictly after
    /// `cursor`, at most `limit`, and the cursor of the next page (nil on the last). Keyset paging
    /// never skips or repeats a row while others are added.
    func newestFirstPage(
        time: KeyPath<Model, FieldProperty<Model, Int64>>, after cursor: PageCursor?, limit: Int
    ) async throws -> (rows: [Model], next: PageCursor?) {
        if let cursor {
            group(.or) { group in
                group.filter(time, .lessThan, cursor.timeMs)
                group.group(.and) { $0.filter(time, .equal, cursor.timeMs).filter(\._$id, .lessThan, cursor.id) }
            }
        }
        let rows = try await sort(time, .descending).sort(\._$id, .descending).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        guard rows.count > limit, let last = page.last, let id = last.id, let timeMs = last[keyPath: time].value else {
            return (page, nil)
        }
        return (page, PageCursor(timeMs: timeMs, id: id))
    }
}
