import Foundation

/// The book's working state for one alert it holds.
struct AlertSlot: Sendable {
    var rule: AlertRule
    var symbolIndex: Int
    /// Changes whenever the alert is (re-)added, so older heap entries of it are ignored.
    var generation: UInt32
    /// Level alerts: the price at or above which the up condition holds (nil without an up leg, or for
    /// `percent_change` before the previous close is known).
    var up: PricePoint?
    /// Level alerts: the price at or below which the down condition holds.
    var down: PricePoint?
    /// `price_cross`: the threshold.
    var cross: PricePoint?
    /// A repeat level alert inside its cooldown; its end is in the symbol's cooling heap.
    var cooling: Bool

    var isLevel: Bool { rule.type.isLevel }

    /// A level alert that fired on a side where the price still is: waits for the price to leave.
    var latchedSide: AlertSide {
        guard isLevel else { return .unknown }
        switch rule.lastSide {
        case .above where up != nil: return .above
        case .below where down != nil: return .below
        default: return .unknown
        }
    }

    mutating func setLevels(previousClose: Decimal?) {
        if rule.type == .priceCross {
            cross = PricePoint(rule.threshold)
            up = nil
            down = nil
        } else {
            let levels = rule.triggerLevels(previousClose: previousClose)
            up = levels.up.map(PricePoint.init)
            down = levels.down.map(PricePoint.init)
            cross = nil
        }
    }
}

/// Every index of one symbol. Each list is ordered so that what a tick at price p takes is a suffix:
///
/// | list | holds | a tick at p takes | order |
/// | --- | --- | --- | --- |
/// | `armedUp` | up levels that may fire | level ≤ p (fires) | descending |
/// | `armedDown` | down levels that may fire | level ≥ p (fires) | ascending |
/// | `latchedUp` | fired up, price still ≥ level | level > p (released) | ascending |
/// | `latchedDown` | fired down, price still ≤ level | level < p (released) | descending |
/// | `crossBelow` | cross alerts last seen below | level < p (crossed up) | descending |
/// | `crossAbove` | cross alerts last seen above | level > p (crossed down) | ascending |
/// | `crossUnknown` | cross alerts not yet observed | both ends (side learnt) | ascending |
///
/// Repeat level alerts inside their cooldown are in no armed list; `cooling` holds when each cooldown ends.
struct SymbolAlerts: Sendable {
    let symbol: Symbol
    var previousClose: Decimal?
    var memberCount = 0
    /// `percent_change` alerts, whose levels move with the previous close.
    var percentIDs: Set<UUID> = []
    var armedUp = SortedEntries(ascending: false)
    var armedDown = SortedEntries(ascending: true)
    var latchedUp = SortedEntries(ascending: true)
    var latchedDown = SortedEntries(ascending: false)
    var crossBelow = SortedEntries(ascending: false)
    var crossAbove = SortedEntries(ascending: true)
    var crossUnknown = SortedEntries(ascending: true)
    var cooling = TimeHeap()

    init(symbol: Symbol) {
        self.symbol = symbol
    }

    /// Names the lists whose tail a tick takes, so one routine can walk any of them.
    enum List {
        case armedUp, armedDown, latchedUp, latchedDown, crossBelow, crossAbove, crossUnknown
    }

    subscript(list: List) -> SortedEntries {
        switch list {
        case .armedUp: armedUp
        case .armedDown: armedDown
        case .latchedUp: latchedUp
        case .latchedDown: latchedDown
        case .crossBelow: crossBelow
        case .crossAbove: crossAbove
        case .crossUnknown: crossUnknown
        }
    }

    /// Drops the tail of one list, in place.
    mutating func removeTail(_ list: List, from start: Int) {
        switch list {
        case .armedUp: armedUp.removeTail(from: start)
        case .armedDown: armedDown.removeTail(from: start)
        case .latchedUp: latchedUp.removeTail(from: start)
        case .latchedDown: latchedDown.removeTail(from: start)
        case .crossBelow: crossBelow.removeTail(from: start)
        case .crossAbove: crossAbove.removeTail(from: start)
        case .crossUnknown: crossUnknown.removeTail(from: start)
        }
    }

    /// Index entries held in all lists (an `either` alert that may fire holds two).
    var entryCount: Int {
        armedUp.count + armedDown.count + latchedUp.count + latchedDown.count
            + crossBelow.count + crossAbove.count + crossUnknown.count
    }

    /// Inserts the alert's entries according to its state.
    mutating func place(_ slot: AlertSlot) {
        let id = slot.rule.id
        if let level = slot.cross {
            switch slot.rule.lastSide {
            case .above: crossAbove.insert(IndexEntry(level: level, id: id))
            case .below: crossBelow.insert(IndexEntry(level: level, id: id))
            case .unknown: crossUnknown.insert(IndexEntry(level: level, id: id))
            }
            return
        }
        switch slot.latchedSide {
        case .above: latchedUp.insert(IndexEntry(level: slot.up!, id: id))
        case .below: latchedDown.insert(IndexEntry(level: slot.down!, id: id))
        case .unknown: if !slot.cooling { placeArmed(slot) }
        }
    }

    /// Removes the alert's entries (the inverse of `place` for the same state).
    mutating func unplace(_ slot: AlertSlot) {
        let id = slot.rule.id
        if let level = slot.cross {
            switch slot.rule.lastSide {
            case .above: crossAbove.remove(id: id, level: level)
            case .below: crossBelow.remove(id: id, level: level)
            case .unknown: crossUnknown.remove(id: id, level: level)
            }
            return
        }
        switch slot.latchedSide {
        case .above: latchedUp.remove(id: id, level: slot.up!)
        case .below: latchedDown.remove(id: id, level: slot.down!)
        case .unknown: if !slot.cooling { unplaceArmed(slot) }
        }
    }

    mutating func placeArmed(_ slot: AlertSlot) {
        if let up = slot.up { armedUp.insert(IndexEntry(level: up, id: slot.rule.id)) }
        if let down = slot.down { armedDown.insert(IndexEntry(level: down, id: slot.rule.id)) }
    }

    mutating func unplaceArmed(_ slot: AlertSlot) {
        if let up = slot.up { armedUp.remove(id: slot.rule.id, level: up) }
        if let down = slot.down { armedDown.remove(id: slot.rule.id, level: down) }
    }
}
