import Foundation

extension AlertBook {
    /// What one tick is doing: its inputs and what it has found so far.
    struct Tick {
        let index: Int
        let point: PricePoint
        let time: Date
        let source: FiringSource
        var firings: [AlertFiring] = []
        /// Alerts whose `lastSide` changed without (yet) a firing.
        var touched: [UUID] = []
    }

    /// Evaluates one price of `symbol` at `time` (the engine's clock; also the firing time, the cooldown
    /// and the expiry reference). Steps, each a binary search plus the k entries it reaches:
    /// 1. expire every alert (any symbol) whose `expires_at` ≤ `time`;
    /// 2. end the cooldowns that are over (the alert may fire again from this tick on);
    /// 3. release level alerts whose price left the side they fired on;
    /// 4. move `price_cross` alerts to the side the price is now on — firing those that changed side;
    /// 5. fire the level alerts whose condition the price meets.
    /// A price that is not positive is ignored (only step 1 runs).
    public mutating func evaluate(symbol: Symbol, price: Decimal, time: Date, source: FiringSource) -> AlertEvaluation {
        evaluate(symbol: symbol, point: PricePoint(price), time: time, source: source)
    }

    /// `evaluate(symbol:price:time:source:)` for a price already in index form (a tick's
    /// `FixedPrice` becomes one without `Decimal` decoding).
    public mutating func evaluate(symbol: Symbol, point: PricePoint, time: Date, source: FiringSource) -> AlertEvaluation {
        var result = AlertEvaluation()
        if let earliest = expiries.earliest, earliest <= time { result.expired = expire(now: time) }
        guard point.key > 0 || (point.key == 0 && !point.exact), let index = symbolIndex[symbol] else { return result }
        var tick = Tick(index: index, point: point, time: time, source: source)
        endCooldowns(&tick)
        releaseLatches(&tick)
        moveCrossAlerts(&tick)
        fireArmed(&tick)
        result.firings = tick.firings
        if !tick.touched.isEmpty { result.changed = changedRules(tick) }
        return result
    }

    private mutating func endCooldowns(_ tick: inout Tick) {
        while let item = symbols[tick.index].cooling.popDue(at: tick.time) {
            guard let position = slotPositions[item.id], slotList[position].generation == item.generation,
                  slotList[position].cooling
            else { continue }
            slotList[position].cooling = false
            if slotList[position].latchedSide == .unknown { symbols[tick.index].placeArmed(slotList[position]) }
        }
    }

    /// Hands each entry of the tail of `list` that the tick reaches to `handle`, then drops that tail.
    /// Nearly every tick stops at `mayReach` without touching the list's memory. No handler changes
    /// the list being walked (each moves entries to other lists), so the walk needs no copy.
    /// `nearestLast` walks the tail from its far end, so that entries moved to a list of the opposite
    /// order are appended rather than inserted at the front.
    private mutating func take(
        _ list: SymbolAlerts.List, inclusive: Bool, nearestLast: Bool = false, _ tick: inout Tick,
        _ handle: (inout AlertBook, IndexEntry, inout Tick) -> Void
    ) {
        let start: Int
        do {
            let walked = symbols[tick.index][list]
            guard walked.mayReach(tick.point) else { return }
            start = walked.tailStart(beyond: tick.point, inclusive: inclusive)
            guard start < walked.count else { return }
            if nearestLast {
                for position in (start..<walked.count).reversed() { handle(&self, walked.entries[position], &tick) }
            } else {
                for position in start..<walked.count { handle(&self, walked.entries[position], &tick) }
            }
        }
        symbols[tick.index].removeTail(list, from: start)
    }

    private mutating func releaseLatches(_ tick: inout Tick) {
        take(.latchedUp, inclusive: false, &tick) { book, entry, tick in book.release(entry, &tick) }
        take(.latchedDown, inclusive: false, &tick) { book, entry, tick in book.release(entry, &tick) }
    }

    private mutating func release(_ entry: IndexEntry, _ tick: inout Tick) {
        guard let position = slotPositions[entry.id] else { return }
        slotList[position].rule.lastSide = .unknown
        if !slotList[position].cooling { symbols[tick.index].placeArmed(slotList[position]) }
        tick.touched.append(entry.id)
    }

    private mutating func moveCrossAlerts(_ tick: inout Tick) {
        take(.crossBelow, inclusive: false, &tick) { book, entry, tick in book.crossed(entry, to: .above, &tick) }
        take(.crossAbove, inclusive: false, &tick) { book, entry, tick in book.crossed(entry, to: .below, &tick) }
        guard !symbols[tick.index].crossUnknown.isEmpty else { return }
        // First observation: learn the side, nothing fires.
        take(.crossUnknown, inclusive: false, nearestLast: true, &tick) { book, entry, tick in
            book.learn(entry, side: .below, &tick)
        }
        for entry in symbols[tick.index].crossUnknown.popHead(before: tick.point) { learn(entry, side: .above, &tick) }
    }

    private mutating func learn(_ entry: IndexEntry, side: AlertSide, _ tick: inout Tick) {
        if let position = slotPositions[entry.id] { slotList[position].rule.lastSide = side }
        if side == .above { symbols[tick.index].crossAbove.insert(entry) } else { symbols[tick.index].crossBelow.insert(entry) }
        tick.touched.append(entry.id)
    }

    /// A `price_cross` alert whose side changed: fires unless inside its cooldown.
    private mutating func crossed(_ entry: IndexEntry, to side: AlertSide, _ tick: inout Tick) {
        guard let position = slotPositions[entry.id] else { return }
        slotList[position].rule.lastSide = side
        if slotList[position].rule.isCooled(at: tick.time) {
            var slot = slotList[position]
            record(&slot, level: entry.level, side: side, &tick)
            guard slot.rule.status == .active else { return drop(slot) }
            slotList[position] = slot
        } else {
            tick.touched.append(entry.id)
        }
        if side == .above { symbols[tick.index].crossAbove.insert(entry) } else { symbols[tick.index].crossBelow.insert(entry) }
    }

    private mutating func fireArmed(_ tick: inout Tick) {
        take(.armedUp, inclusive: true, &tick) { book, entry, tick in book.fireLevel(entry, side: .above, &tick) }
        take(.armedDown, inclusive: true, &tick) { book, entry, tick in book.fireLevel(entry, side: .below, &tick) }
    }

    /// A level alert whose condition holds: fires; a repeat alert then waits on that side and for its cooldown.
    private mutating func fireLevel(_ entry: IndexEntry, side: AlertSide, _ tick: inout Tick) {
        guard let position = slotPositions[entry.id] else { return }
        var slot = slotList[position]
        if side == .above, let down = slot.down { symbols[tick.index].armedDown.remove(id: entry.id, level: down) }
        if side == .below, let up = slot.up { symbols[tick.index].armedUp.remove(id: entry.id, level: up) }
        slot.rule.lastSide = side
        record(&slot, level: entry.level, side: side, &tick)
        if slot.rule.status != .active { return drop(slot) }
        if side == .above { symbols[tick.index].latchedUp.insert(entry) } else { symbols[tick.index].latchedDown.insert(entry) }
        if let end = slot.rule.cooldownEndsAt {
            slot.cooling = true
            symbols[tick.index].cooling.push(TimeHeap.Item(time: end, id: entry.id, generation: slot.generation))
        }
        slotList[position] = slot
    }

    /// Counts the firing on the rule (a `once` alert becomes `triggered`) and records it.
    private func record(_ slot: inout AlertSlot, level: PricePoint, side: AlertSide, _ tick: inout Tick) {
        slot.rule.fireCount += 1
        slot.rule.lastFiredAt = tick.time
        if slot.rule.mode == .once {
            slot.rule.status = .triggered
            slot.rule.updatedAt = tick.time
        }
        let rule = slot.rule
        tick.firings.append(AlertFiring(
            alertID: rule.id, sequence: rule.fireCount, symbol: rule.symbol, type: rule.type,
            threshold: rule.threshold, level: level.value, side: side, price: tick.point.value, time: tick.time,
            source: tick.source, rule: rule))
    }

    /// Forgets an alert that fired for the last time (its index entries are already gone).
    private mutating func drop(_ slot: AlertSlot) {
        forget(slot.rule.id)
    }

    /// The new state of the alerts touched without firing. Each alert is touched at most once per tick
    /// (every step moves what it takes to a list already walked, or to an armed list only for step 5).
    private func changedRules(_ tick: Tick) -> [AlertRule] {
        if tick.firings.isEmpty { return tick.touched.compactMap { slot($0)?.rule } }
        let fired = Set(tick.firings.map(\.alertID))
        return tick.touched.compactMap { fired.contains($0) ? nil : slot($0)?.rule }
    }
}
