import Foundation

/// One alert's trigger level in an index.
struct IndexEntry: Sendable {
    var level: PricePoint
    var id: UUID
}

/// Alert levels kept sorted so that the entries a tick reaches are always a suffix of the array:
/// found by binary search, and taken off the end in O(k) without moving the rest.
///
/// An `ascending` list hands out the entries *above* the price (`level > p`, or `≥` when inclusive);
/// a descending one the entries *below* it. Each index of `SymbolAlerts` picks the order that puts
/// what a tick takes at the end.
struct SortedEntries: Sendable {
    let ascending: Bool
    private(set) var entries: [IndexEntry] = [] {
        didSet { tailKey = entries.last?.level.key ?? (ascending ? Int64.min : Int64.max) }
    }
    /// Key of the last entry (the first a tick would take), kept inline so that a tick that reaches
    /// nothing — nearly every tick — is rejected without touching the array's memory.
    private(set) var tailKey: Int64

    init(ascending: Bool) {
        self.ascending = ascending
        tailKey = ascending ? Int64.min : Int64.max
    }

    /// False when price `p` certainly reaches no entry (see `tailStart`); true when it may.
    @inline(__always)
    func mayReach(_ p: PricePoint) -> Bool {
        ascending ? tailKey >= p.key : tailKey <= p.key
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// True when `a` belongs strictly before `b` in this list's order.
    @inline(__always)
    private func precedes(_ a: PricePoint, _ b: PricePoint) -> Bool {
        ascending ? a < b : b < a
    }

    /// First index whose level is not before `point` (binary search).
    private func lowerBound(_ point: PricePoint) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) >> 1
            if precedes(entries[mid].level, point) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// First index whose level is after `point` (binary search).
    private func upperBound(_ point: PricePoint) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) >> 1
            if precedes(point, entries[mid].level) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    mutating func insert(_ entry: IndexEntry) {
        let index = upperBound(entry.level)
        if index == entries.count { entries.append(entry) } else { entries.insert(entry, at: index) }
    }

    /// Removes the entry of `id` at `level`; O(log n) to find it, then the array shift.
    @discardableResult
    mutating func remove(id: UUID, level: PricePoint) -> Bool {
        var index = lowerBound(level)
        while index < entries.count, entries[index].level == level {
            if entries[index].id == id {
                entries.remove(at: index)
                return true
            }
            index += 1
        }
        return false
    }

    /// Start of the suffix reached by price `p`: levels beyond `p` in this list's order (at `p` too when
    /// `inclusive`). For an ascending list that is `level > p` (`≥`); for a descending one `level < p` (`≤`).
    @inline(__always)
    func tailStart(beyond p: PricePoint, inclusive: Bool) -> Int {
        inclusive ? lowerBound(p) : upperBound(p)
    }

    /// Drops the entries from `start` on (the tail a tick has just handled).
    mutating func removeTail(from start: Int) {
        entries.removeSubrange(start...)
    }

    /// Removes and returns the prefix of levels strictly before `p` in this list's order
    /// (for an ascending list `level < p`). Shifts the rest: used only for the short-lived
    /// "side unknown" list of `price_cross` alerts.
    mutating func popHead(before p: PricePoint) -> [IndexEntry] {
        let end = lowerBound(p)
        guard end > 0 else { return [] }
        let head = Array(entries[..<end])
        entries.removeSubrange(..<end)
        return head
    }
}
