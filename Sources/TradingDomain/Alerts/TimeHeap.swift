import Foundation

/// A min-heap of (time, alert id, generation): cooldown ends per symbol, expiry times for the book.
///
/// Entries are never removed from the middle: an alert that is removed or replaced gets a new
/// generation, and entries of older generations are dropped when they reach the top. Peeking is O(1),
/// each push and pop O(log n).
struct TimeHeap: Sendable {
    struct Item: Sendable {
        var time: Date
        var id: UUID
        var generation: UInt32
    }

    private var items: [Item] = [] {
        didSet { earliestTime = items.first?.time ?? .distantFuture }
    }
    /// The top's time (`distantFuture` when empty), inline so a tick checks it without touching the array.
    private var earliestTime = Date.distantFuture

    var count: Int { items.count }

    /// The earliest time held, if any.
    var earliest: Date? { items.isEmpty ? nil : earliestTime }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].time < items[parent].time else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest item if its time is at or before `time`.
    mutating func popDue(at time: Date) -> Item? {
        guard earliestTime <= time, let first = items.first else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { break }
            let right = left + 1
            let child = right < items.count && items[right].time < items[left].time ? right : left
            guard items[child].time < items[parent].time else { break }
            items.swapAt(child, parent)
            parent = child
        }
        return first
    }
}
