import FluentKit
import FluentSQL
import Foundation
import TradingDomain
import TradingEngine

/// The alert and trigger lists (GET endpoints) read as plain SQL rows straight into domain types,
/// without Fluent models, on the store's read connections (docs/performance.md, "Reads beside the
/// writer"). Same rows, order and cursors as the Fluent queries they replace; the same statements
/// run on PostgreSQL. Each filter has an index (`AddListIndexes`, checked with `EXPLAIN` in
/// `ListIndexTests`).
enum AlertListReads {
    static let alertColumns = [
        "id", "symbol", "type", "threshold", "direction", "mode", "cooldown_s", "expires_at_ms", "note", "sessions",
        "status", "created_at_ms", "updated_at_ms", "last_fired_at_ms", "fire_count", "last_side",
    ]
    static let triggerColumns = [
        "id", "alert_id", "sequence", "symbol", "type", "threshold", "level", "side", "price", "fired_at_ms", "source",
    ]

    /// Newest first by (`time`, id), strictly after `cursor`, one row more than `limit` to know
    /// whether a next page exists (as `newestFirstPage`).
    static func newestFirst(
        _ select: SQLSelectBuilder, time: String, after cursor: PageCursor?, limit: Int
    ) -> SQLSelectBuilder {
        if let cursor {
            select.where { group in
                group.where(SQLIdentifier(time), .lessThan, SQLBind(cursor.timeMs))
                    .orWhere { inner in
                        inner.where(SQLIdentifier(time), .equal, SQLBind(cursor.timeMs))
                            .where(SQLIdentifier("id"), .lessThan, SQLBind(cursor.id))
                    }
            }
        }
        return select.orderBy(time, .descending).orderBy("id", .descending).limit(limit + 1)
    }

    /// The first `limit` rows and, when there were more, the cursor of the last one kept.
    static func page(_ rows: [any SQLRow], limit: Int, time: String) throws -> ([any SQLRow], PageCursor?) {
        let page = Array(rows.prefix(limit))
        guard rows.count > limit, let last = page.last else { return (page, nil) }
        return (page, PageCursor(
            timeMs: try last.decode(column: time, as: Int64.self), id: try last.decode(column: "id", as: UUID.self)))
    }

    static func alerts(_ query: AlertQuery, on sql: any SQLDatabase) async throws -> (rules: [AlertRule], next: PageCursor?) {
        let select = sql.select().columns(alertColumns.map { SQLIdentifier($0) }).from(AlertModel.schema)
        if let status = query.status { select.where("status", .equal, status.rawValue) }
        if let symbol = query.symbol { select.where("symbol", .equal, symbol.rawValue) }
        let rows = try await newestFirst(select, time: "created_at_ms", after: query.after, limit: query.limit).all()
        let (pageRows, next) = try page(rows, limit: query.limit, time: "created_at_ms")
        return (try pageRows.map(rule(from:)), next)
    }

    static func triggers(
        _ query: AlertTriggerQuery, on sql: any SQLDatabase
    ) async throws -> (triggers: [AlertTrigger], next: PageCursor?) {
        let select = sql.select().columns(triggerColumns.map { SQLIdentifier($0) }).from(AlertTriggerModel.schema)
        if let alertID = query.alertID { select.where("alert_id", .equal, SQLBind(alertID)) }
        if let symbol = query.symbol { select.where("symbol", .equal, symbol.rawValue) }
        if let source = query.source { select.where("source", .equal, source.rawValue) }
        if let from = query.from { select.where("fired_at_ms", .greaterThanOrEqual, from.epochMilliseconds) }
        if let to = query.to { select.where("fired_at_ms", .lessThan, to.epochMilliseconds) }
        let rows = try await newestFirst(select, time: "fired_at_ms", after: query.after, limit: query.limit).all()
        let (pageRows, next) = try page(rows, limit: query.limit, time: "fired_at_ms")
        // The alert's current state rides along (for the note); a deleted alert keeps its history.
        let alertIDs = Array(Set(try pageRows.map { try $0.decode(column: "alert_id", as: UUID.self) }))
        var rules: [UUID: AlertRule] = [:]
        if !alertIDs.isEmpty {
            let ruleRows = try await sql.select().columns(alertColumns.map { SQLIdentifier($0) }).from(AlertModel.schema)
                .where(SQLIdentifier("id"), .in, SQLBind.group(alertIDs)).all()
            for row in ruleRows { if let rule = try? rule(from: row) { rules[rule.id] = rule } }
        }
        return (try pageRows.map { try trigger(from: $0, rules: rules) }, next)
    }

    // MARK: row → domain (the columns of `AlertModel` and `AlertTriggerModel`)

    static func rule(from row: any SQLRow) throws -> AlertRule {
        let id = try row.decode(column: "id", as: UUID.self)
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? { try row.decode(column: column, as: T?.self) }
        guard let type = AlertType(rawValue: try text("type")), let mode = AlertMode(rawValue: try text("mode")),
              let status = AlertStatus(rawValue: try text("status")), let side = AlertSide(rawValue: try text("last_side")),
              let sessions = AlertSessions(rawValue: try text("sessions"))
        else { throw StoredDataError("alert \(id.uuidString) has an unreadable column") }
        return AlertRule(
            id: id, symbol: Symbol(trusted: try text("symbol")), type: type,
            threshold: try DecimalColumns.decimal(try text("threshold"), column: "threshold", row: id),
            direction: try optional("direction", String.self).flatMap(PercentDirection.init(rawValue:)), mode: mode,
            cooldownSeconds: try optional("cooldown_s", Int.self),
            expiresAt: try optional("expires_at_ms", Int64.self).map(Date.init(epochMilliseconds:)),
            note: try text("note"), sessions: sessions, status: status,
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at_ms", as: Int64.self)),
            updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at_ms", as: Int64.self)),
            lastFiredAt: try optional("last_fired_at_ms", Int64.self).map(Date.init(epochMilliseconds:)),
            fireCount: try row.decode(column: "fire_count", as: Int.self), lastSide: side)
    }

    static func trigger(from row: any SQLRow, rules: [UUID: AlertRule]) throws -> AlertTrigger {
        let id = try row.decode(column: "id", as: UUID.self)
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        guard let type = AlertType(rawValue: try text("type")), let side = AlertSide(rawValue: try text("side")),
              let source = FiringSource(rawValue: try text("source"))
        else { throw StoredDataError("alert trigger \(id.uuidString) has an unreadable column") }
        let alertID = try row.decode(column: "alert_id", as: UUID.self)
        let time = Date(epochMilliseconds: try row.decode(column: "fired_at_ms", as: Int64.self))
        let threshold = try DecimalColumns.decimal(try text("threshold"), column: "threshold", row: id)
        let symbol = Symbol(trusted: try text("symbol"))
        let owner = rules[alertID] ?? AlertRule(
            id: alertID, symbol: symbol, type: type, threshold: threshold, status: .disabled, createdAt: time, updatedAt: time)
        return AlertTrigger(id: id, firing: AlertFiring(
            alertID: alertID, sequence: try row.decode(column: "sequence", as: Int.self), symbol: symbol, type: type,
            threshold: threshold, level: try DecimalColumns.decimal(try text("level"), column: "level", row: id), side: side,
            price: try DecimalColumns.decimal(try text("price"), column: "price", row: id), time: time, source: source, rule: owner))
    }
}
