import Foundation

/// The indexed alert engine core: holds the active alerts, and for a tick at price p finds exactly the
/// alerts that p fires (or moves to another side) in O(log n + k) for n alerts of the symbol and k
/// alerts affected — it never scans the alerts of a symbol, let alone all of them.
///
/// Pure and synchronous; not thread-safe (wrap it in a lock or an actor). Time is always a parameter and
/// must not go backwards between calls. Semantics and index design: `docs/alerts.md`.
public struct AlertBook: Sendable {
    /// The alerts held, densely (a dictionary of 100,000 large values would take twice the memory).
    var slotList: [AlertSlot] = []
    var slotPositions: [UUID: Int] = [:]
    var symbols: [SymbolAlerts] = []
    var symbolIndex: [Symbol: Int] = [:]
    var expiries = TimeHeap()
    private var nextGeneration: UInt32 = 0

    public init() {}

    /// Number of alerts held (every active alert; the others are never in the book).
    public var armedCount: Int { slotList.count }

    /// The book's current state of an active alert (newer than storage while firings are being persisted).
    public func rule(id: UUID) -> AlertRule? { slot(id)?.rule }

    /// Every alert held, in no particular order.
    public var rules: [AlertRule] { slotList.map(\.rule) }

    /// Symbols with at least one active alert, sorted (what the fallback poller asks a snapshot for).
    public var symbolsWithAlerts: [Symbol] {
        symbols.filter { $0.memberCount > 0 }.map(\.symbol).sorted()
    }

    /// The previous close the book uses for `percent_change` alerts of `symbol`.
    public func previousClose(_ symbol: Symbol) -> Decimal? {
        symbolIndex[symbol].flatMap { symbols[$0].previousClose }
    }

    // MARK: changing the set of alerts

    /// Holds `rule` with its persisted state (replacing any alert with the same id). Only `active` alerts
    /// are held; adding any other status just removes the id. A repeat alert whose cooldown may still run
    /// waits for the first tick at or after `lastFiredAt + cooldown`.
    public mutating func add(_ rule: AlertRule) {
        remove(id: rule.id)
        guard rule.status == .active else { return }
        var rule = rule
        rule.lastSide = Self.normalizedSide(rule)
        let index = symbolSlot(for: rule.symbol)
        nextGeneration &+= 1
        var slot = AlertSlot(rule: rule, symbolIndex: index, generation: nextGeneration, cooling: false)
        slot.setLevels(previousClose: symbols[index].previousClose)
        if rule.type.isLevel, let end = rule.cooldownEndsAt {
            slot.cooling = true
            symbols[index].cooling.push(TimeHeap.Item(time: end, id: rule.id, generation: slot.generation))
        }
        if let expiresAt = rule.expiresAt {
            expiries.push(TimeHeap.Item(time: expiresAt, id: rule.id, generation: slot.generation))
        }
        symbols[index].place(slot)
        symbols[index].memberCount += 1
        if rule.type == .percentChange { symbols[index].percentIDs.insert(rule.id) }
        slotPositions[rule.id] = slotList.count
        slotList.append(slot)
        if rule.expiresAt != nil { compactExpiriesIfNeeded() }
    }

    /// Replaces an alert after an edit (the same as `add`; a rule that is no longer active leaves the book).
    public mutating func update(_ rule: AlertRule) {
        add(rule)
    }

    /// Stops holding an alert; returns its last state.
    @discardableResult
    public mutating func remove(id: UUID) -> AlertRule? {
        guard let slot = forget(id) else { return nil }
        symbols[slot.symbolIndex].unplace(slot)
        return slot.rule
    }

    /// Sets the previous close of `symbol` (nil forgets it) and moves its `percent_change` levels.
    /// Nothing fires here: the next tick evaluates against the new levels.
    public mutating func setPreviousClose(_ symbol: Symbol, _ price: Decimal?) {
        let index = symbolSlot(for: symbol)
        let close = price.flatMap { $0 > 0 ? $0 : nil }
        guard symbols[index].previousClose != close else { return }
        symbols[index].previousClose = close
        for id in symbols[index].percentIDs {
            guard let position = slotPositions[id] else { continue }
            var slot = slotList[position]
            symbols[index].unplace(slot)
            slot.setLevels(previousClose: close)
            symbols[index].place(slot)
            slotList[position] = slot
        }
    }

    /// Expires every alert whose `expires_at` is at or before `now` (status `expired`, `updatedAt` = now),
    /// removes them from the book and returns them. O(log n) per expired alert, O(1) when none is due,
    /// so a timer can call it without ticks.
    public mutating func expire(now: Date) -> [AlertRule] {
        var expired: [AlertRule] = []
        while let item = expiries.popDue(at: now) {
            guard let slot = slot(item.id), slot.generation == item.generation else { continue }
            remove(id: item.id)
            var rule = slot.rule
            rule.status = .expired
            rule.updatedAt = now
            expired.append(rule)
        }
        return expired
    }

    // MARK: helpers

    /// Entries of removed or edited alerts stay in the expiry heap until their time; when they outnumber
    /// the alerts held, the heap is rebuilt (amortised O(log n) per add).
    private mutating func compactExpiriesIfNeeded() {
        guard expiries.count > 1_024, expiries.count > 2 * slotList.count else { return }
        var fresh = TimeHeap()
        for slot in slotList {
            guard let expiresAt = slot.rule.expiresAt else { continue }
            fresh.push(TimeHeap.Item(time: expiresAt, id: slot.rule.id, generation: slot.generation))
        }
        expiries = fresh
    }

    func slot(_ id: UUID) -> AlertSlot? {
        slotPositions[id].map { slotList[$0] }
    }

    /// Stops holding the slot of `id` — its index entries are the caller's to remove — and returns it.
    /// The last slot moves into the gap, so removal is O(1).
    @discardableResult
    mutating func forget(_ id: UUID) -> AlertSlot? {
        guard let position = slotPositions.removeValue(forKey: id) else { return nil }
        let slot = slotList[position]
        let last = slotList.count - 1
        if position != last {
            slotList[position] = slotList[last]
            slotPositions[slotList[position].rule.id] = position
        }
        slotList.removeLast()
        symbols[slot.symbolIndex].memberCount -= 1
        if slot.rule.type == .percentChange { symbols[slot.symbolIndex].percentIDs.remove(id) }
        return slot
    }

    mutating func symbolSlot(for symbol: Symbol) -> Int {
        if let index = symbolIndex[symbol] { return index }
        symbols.append(SymbolAlerts(symbol: symbol))
        symbolIndex[symbol] = symbols.count - 1
        return symbols.count - 1
    }

    /// A level alert can only be latched on a side it has a leg for; anything else is `unknown`.
    static func normalizedSide(_ rule: AlertRule) -> AlertSide {
        switch (rule.type, rule.lastSide, rule.direction ?? .either) {
        case (.priceCross, let side, _): side
        case (_, .unknown, _): .unknown
        case (.priceAbove, .above, _), (.priceBelow, .below, _): rule.lastSide
        case (.percentChange, .above, .up), (.percentChange, .above, .either),
             (.percentChange, .below, .down), (.percentChange, .below, .either): rule.lastSide
        default: .unknown
        }
    }

    /// Index entries held over all symbols (diagnostics; an `either` alert that may fire holds two,
    /// a repeat level alert inside its cooldown and not latched holds none).
    public var indexEntryCount: Int { symbols.reduce(0) { $0 + $1.entryCount } }
}
