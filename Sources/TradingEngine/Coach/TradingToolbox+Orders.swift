import APIInput
import Foundation
import TradingDomain

extension TradingToolbox {
    /// Previews only: the confirmation token goes to the user as an action, never used here.
    func previewOrder(_ arguments: JSONValue) async throws -> CoachToolResult {
        let ticket = try OrderInput.ticket(arguments)
        let result = try await desk.preview(ticket)
        let request = result.ticket.request
        let order: JSONValue = .object([
            "symbol": .string(request.symbol.rawValue), "action": .string(request.action.rawValue),
            "quantity": .number(request.quantity), "type": .string(request.type.rawValue), "duration": .string(request.duration.rawValue),
            "limit_price": Self.num(request.limitPrice), "stop_price": Self.num(request.stopPrice),
            "estimated_cost": .number(result.preview.estimatedCost.rounded(scale: 2)), "commission": .number(result.preview.commission),
        ])
        let label = "Confirm: \(request.action.rawValue.replacingOccurrences(of: "_", with: " ")) \(request.quantity) \(request.symbol) \(request.type.rawValue)"
            + (request.limitPrice.map { " @ \($0)" } ?? "")
        let action = CoachAction(type: "confirm_order", label: label, confirmationToken: result.confirmationToken,
                                 expiresAt: result.expiresAt, order: order)
        let warnings = result.checks.filter { $0.outcome == .warn }.map(\.detail)
        let summary = "Preview: \(label.dropFirst(9)), estimated cost \(result.preview.estimatedCost.rounded(scale: 2)) plus \(result.preview.commission) commission."
            + (warnings.isEmpty ? "" : " Warnings: \(warnings.joined(separator: "; ")).")
            + " Not placed: confirm it yourself within \(Int(desk.tokens.lifetime)) s."
        var sources = [CoachSource(tool: "preview_order", provider: desk.broker.name, asOf: clock.now(),
                                   detail: "broker preview of \(request.quantity) \(request.symbol)")]
        let facts = quoteFacts(request.underlying, tool: "preview_order")
        if let source = facts.source { sources.append(source) }
        return CoachToolResult(
            ok: true,
            content: .object(["order": order, "checks": .array(result.checks.map { .object([
                "name": .string($0.name), "outcome": .string($0.outcome.rawValue), "detail": .string($0.detail)]) }),
                "placed": .bool(false), "confirmation": .string("the user must confirm")]),
            summary: summary, sources: sources, actions: [action], stale: facts.stale)
    }

    /// Never cancels: answers with a `confirm_cancel` action for the user, like `preview_order`.
    /// A protective stop must not disappear because a model (or text injected into tool data)
    /// asked for it.
    func cancelOrder(_ arguments: JSONValue) async throws -> CoachToolResult {
        guard case .string(let id)? = args(arguments)["order_id"] else { throw ValidationFailure(field: "order_id", message: "is required") }
        guard let record = try await desk.order(id: id.lowercased()) else { throw OrderDeskError.notFound("no order with id \(id)") }
        let request = record.order.request
        guard !record.order.status.isFinal else { throw OrderDeskError.notCancellable(record) }
        let order: JSONValue = .object([
            "id": .string(record.id), "symbol": .string(request.symbol.rawValue), "action": .string(request.action.rawValue),
            "quantity": .number(request.quantity), "type": .string(request.type.rawValue), "status": .string(record.order.status.rawValue),
            "limit_price": Self.num(request.limitPrice), "stop_price": Self.num(request.stopPrice),
            "bracket_role": request.bracketRole.map { .string($0.rawValue) } ?? .null,
        ])
        let role = request.bracketRole.map { $0 == .stop ? " (protective stop)" : " (\($0.rawValue))" } ?? ""
        let label = "Confirm cancel: \(request.action.rawValue.replacingOccurrences(of: "_", with: " ")) \(request.quantity) \(request.symbol)\(role)"
        return CoachToolResult(
            ok: true,
            content: .object(["order": order, "cancelled": .bool(false), "confirmation": .string("the user must confirm the cancel")]),
            summary: "Not cancelled: \(label.dropFirst(9)) needs your confirmation (order \(record.id), \(record.order.status.rawValue)).",
            sources: [CoachSource(tool: "cancel_order", provider: desk.broker.name, asOf: clock.now(), detail: "order \(record.id)")],
            actions: [CoachAction(type: "confirm_cancel", label: label, confirmationToken: nil, expiresAt: nil, order: order)])
    }

    func positions() async throws -> CoachToolResult {
        let positions = try await desk.broker.positions()
        var stale = false
        let rows: [JSONValue] = positions.map { position in
            let quote = position.symbol.isOption ? nil : market.cache.quote(for: position.symbol)
            if let quote, market.cache.isStale(quote) { stale = true }
            let pnl = quote?.price.map { (($0 - position.averagePrice) * position.quantity * Decimal(position.assetClass.multiplier)).rounded(scale: 2) }
            return .object(["symbol": .string(position.symbol.rawValue), "quantity": .number(position.quantity),
                            "average_price": .number(position.averagePrice), "last": Self.num(quote?.price), "unrealized_pnl": Self.num(pnl)])
        }
        let lines = positions.map { "\($0.side.rawValue) \(abs($0.quantity)) \($0.symbol) @ \($0.averagePrice)" }
        return CoachToolResult(
            ok: true, content: .object(["positions": .array(rows)]),
            summary: positions.isEmpty ? "No open positions." : "Open positions: " + lines.joined(separator: "; ") + ".",
            sources: [CoachSource(tool: "positions", provider: desk.broker.name, asOf: clock.now(), detail: "\(positions.count) positions")],
            stale: stale)
    }

    func riskReport() async throws -> CoachToolResult {
        let report = try await risk.evaluate()
        let snapshot = report.snapshot
        var summary = "Trading is \(report.state.mode.rawValue)" + (report.state.reason.map { " (\($0))" } ?? "") + "."
        if let snapshot {
            summary += " Equity \(snapshot.equity), day P&L \(snapshot.dayPnL), open risk \(snapshot.openRisk)"
                + (snapshot.openRiskPct.map { " (\($0)% of equity, limit \(report.limits.maxOpenRiskPct)%)" } ?? "")
                + ", gross exposure \(snapshot.grossExposure)."
        }
        if !report.breaches.isEmpty { summary += " Breaches: " + report.breaches.map(\.message).joined(separator: "; ") + "." }
        return CoachToolResult(
            ok: true,
            content: .object(["state": .string(report.state.mode.rawValue), "reason": Self.text(report.state.reason),
                              "equity": Self.num(snapshot?.equity), "day_pnl": Self.num(snapshot?.dayPnL),
                              "open_risk": Self.num(snapshot?.openRisk), "open_risk_pct": Self.num(snapshot?.openRiskPct),
                              "breaches": .array(report.breaches.map { .string($0.message) })]),
            summary: summary,
            sources: [CoachSource(tool: "risk", provider: desk.broker.name, asOf: snapshot?.asOf ?? clock.now(), detail: "risk snapshot")])
    }

    func addJournalEntry(_ arguments: JSONValue) async throws -> CoachToolResult {
        let entry = try JournalInput.create(arguments, id: UUID(), now: clock.now())
        try await journal.insert(entry)
        return CoachToolResult(
            ok: true, content: .object(["entry_id": .string(entry.id.uuidString.lowercased()), "symbol": .string(entry.symbol.rawValue),
                                        "status": .string(entry.status.rawValue), "pnl": Self.num(entry.metrics.pnl)]),
            summary: "Journal entry added: \(entry.side.rawValue) \(entry.quantity) \(entry.symbol) @ \(entry.entryPrice)"
                + (entry.exitPrice.map { ", exit \($0)" } ?? "") + (entry.metrics.pnl.map { ", P&L \($0)" } ?? "") + ".",
            sources: [CoachSource(tool: "add_journal_entry", provider: "journal", asOf: entry.createdAt, detail: "entry \(entry.id.uuidString.lowercased())")])
    }

    func journalStats(_ arguments: JSONValue) async throws -> CoachToolResult {
        var query = JournalQuery()
        let given = args(arguments)
        if case .string(let text)? = given["symbol"] { query.symbol = try Symbol(validating: text) }
        if case .string(let text)? = given["tag"] { query.tag = JournalInput.normalizeTag(text) }
        var rules = DisciplineRules()
        if case .number(let value)? = given["after_losses"] { rules.afterLosses = NSDecimalNumber(decimal: value).intValue }
        let entries = try await journal.all(matching: query)
        let current = try await settings.current()
        rules.riskBudget = current.account.equity * current.risk.riskPerTradePct / 100
        for planID in Set(entries.compactMap(\.planID)) {
            if let plan = try await desk.plans.find(id: planID) { rules.plans[planID] = plan.plan }
        }
        let stats = JournalStats.compute(
            entries, startingEquity: current.account.equity, calendar: calendar.calendar(), rules: rules)
        var summary = stats.trades == 0 ? "No closed trades yet\(stats.openTrades > 0 ? " (\(stats.openTrades) open)" : "")."
            : "\(stats.trades) closed trades: win rate \(((stats.winRate ?? 0) * 100).rounded(scale: 1))%, total P&L \(stats.totalPnL), "
                + "expectancy \(stats.expectancy ?? 0) per trade" + (stats.expectancyR.map { " (\($0)R)" } ?? "")
                + (stats.profitFactor.map { ", profit factor \($0)" } ?? "") + ", max drawdown \(stats.maxDrawdown)."
        var sources = [CoachSource(tool: "journal_stats", provider: "journal", asOf: clock.now(), detail: "\(entries.count) entries")]
        // Discipline: what the trades a rule flags cost, and the record without them (docs/journal.md).
        let discipline = stats.discipline
        if let whatIf = discipline.whatIf[DisciplineFlag.Kind.afterLosses.rawValue], whatIf.flaggedTrades > 0 {
            summary += " \(whatIf.flaggedTrades) closed trades were taken after \(discipline.afterLosses) losses in a row"
                + " (P&L \(whatIf.flaggedPnL)); without them: \(whatIf.remainingTrades) trades, P&L \(whatIf.remainingPnL)"
                + (whatIf.remainingExpectancyR.map { ", expectancy \($0)R" } ?? "") + "."
        }
        for kind in DisciplineFlag.Kind.allCases {
            let flagged = discipline.flags.filter { $0.kind == kind }
            guard !flagged.isEmpty else { continue }
            if kind != .afterLosses { summary += " \(flagged.count) flagged \(kind.rawValue.replacingOccurrences(of: "_", with: " "))." }
            sources.append(CoachSource(
                tool: "journal_stats", provider: "journal", asOf: clock.now(),
                detail: "\(kind.rawValue): entries " + flagged.prefix(10).map { $0.entryID.uuidString.lowercased() }.joined(separator: ", ")
                    + (flagged.count > 10 ? " and \(flagged.count - 10) more" : "")))
        }
        return CoachToolResult(ok: true, content: try JSONValue.encoding(stats), summary: summary, sources: sources)
    }
}
