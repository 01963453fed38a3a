import FluentKit
import FluentSQL
import Foundation

// Migrations 006 on: the outbox, orders and fills, risk firings, coach conversations.

struct CreateOutbox: AsyncMigration {
    var name: String { "006_create_outbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxModel.schema)
            .id()
            .field("channel", .string, .required)
            .field("dedupe_key", .string, .required)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at_ms", .int64, .required)
            .field("last_error", .string)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .field("delivered_at_ms", .int64)
            .unique(on: "dedupe_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "outbox_due_idx").on(OutboxModel.schema)
                .column("channel").column("status").column("next_attempt_at_ms").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxModel.schema).delete()
    }
}

struct CreateOrders: AsyncMigration {
    var name: String { "007_create_orders" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OrderModel.schema)
            .field("client_order_id", .string, .identifier(auto: false))
            .field("broker_order_id", .string)
            .field("broker", .string, .required)
            .field("confirmation_token", .string)
            .field("parent_id", .string)
            .field("symbol", .string, .required)
            .field("action", .string, .required)
            .field("quantity", .string, .required)
            .field("type", .string, .required)
            .field("duration", .string, .required)
            .field("limit_price", .string)
            .field("stop_price", .string)
            .field("plan_id", .uuid)
            .field("bracket_role", .string)
            .field("status", .string, .required)
            .field("is_final", .bool, .required)
            .field("filled_quantity", .string, .required)
            .field("average_fill_price", .string)
            .field("reason", .string)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .unique(on: "confirmation_token")
            .create()
        try await database.schema(FillModel.schema)
            .field("fill_id", .string, .identifier(auto: false))
            .field("client_order_id", .string, .required)
            .field("symbol", .string, .required)
            .field("action", .string, .required)
            .field("quantity", .string, .required)
            .field("price", .string, .required)
            .field("commission", .string, .required)
            .field("filled_at_ms", .int64, .required)
            .create()
        try await database.schema(ExecutionLegModel.schema)
            .id()
            .field("fill_id", .string, .required)
            .field("entry_id", .uuid, .required)
            .field("effect", .string, .required)
            .field("quantity", .string, .required)
            .field("price", .string, .required)
            .create()
        try await database.schema(DocumentModel.schema)
            .field("name", .string, .identifier(auto: false))
            .field("body", .string, .required)
            .field("updated_at_ms", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "orders_created_idx").on(OrderModel.schema).column("created_at_ms").run()
            try await sql.create(index: "orders_final_idx").on(OrderModel.schema).column("is_final").run()
            try await sql.create(index: "orders_parent_idx").on(OrderModel.schema).column("parent_id").run()
            try await sql.create(index: "fills_order_idx").on(FillModel.schema).column("client_order_id").run()
            try await sql.create(index: "legs_entry_idx").on(ExecutionLegModel.schema).column("entry_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [DocumentModel.schema, ExecutionLegModel.schema, FillModel.schema, OrderModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}

struct CreateRiskFirings: AsyncMigration {
    var name: String { "008_create_risk_firings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RiskFiringModel.schema)
            .field("episode_id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("symbol", .string)
            .field("value", .string, .required)
            .field("limit_value", .string, .required)
            .field("message", .string, .required)
            .field("mode", .string, .required)
            .field("fired_at_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RiskFiringModel.schema).delete()
    }
}

struct CreateCoachMessages: AsyncMigration {
    var name: String { "009_create_coach_messages" }

    func prepare(on database: any Database) async throws {
        try await database.schema(CoachMessageModel.schema)
            .id()
            .field("conversation_id", .uuid, .required)
            .field("position", .int, .required)
            .field("role", .string, .required)
            .field("content", .string, .required)
            .field("confidence", .string)
            .field("sources", .string, .required)
            .field("actions", .string, .required)
            .field("created_at_ms", .int64, .required)
            .unique(on: "conversation_id", "position")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CoachMessageModel.schema).delete()
    }
}

/// `sessions` on alerts (`regular` or `extended`, docs/alerts.md "Sessions"): existing alerts keep
/// seeing every print (`extended`, the default).
struct AddAlertSessions: AsyncMigration {
    var name: String { "010_add_alert_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AlertModel.schema)
            .field("sessions", .string, .required, .sql(.default("extended")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AlertModel.schema).deleteField("sessions").update()
    }
}

/// Fills imported into the journal (docs/journal.md, "Import and export"): one row per leg, keyed
/// by the file's fill id (a broker execution id or a fingerprint) so a re-import adds nothing.
struct CreateImportedFills: AsyncMigration {
    var name: String { "011_create_imported_fills" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ImportedFillModel.schema)
            .id()
            .field("fill_id", .string, .required)
            .field("entry_id", .uuid, .required)
            .field("effect", .string, .required)
            .field("quantity", .string, .required)
            .field("price", .string, .required)
            .field("line", .int, .required)
            .field("filled_at_ms", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "imported_fills_fill_idx").on(ImportedFillModel.schema).column("fill_id").run()
            try await sql.create(index: "imported_fills_entry_idx").on(ImportedFillModel.schema).column("entry_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ImportedFillModel.schema).delete()
    }
}

/// Indexes for every filter of the GET lists (issue 20, docs/performance.md "Reads beside the
/// writer"): each filter column followed by the list's order, so a filtered page is an index range
/// scan in order with no sort (checked with `EXPLAIN QUERY PLAN` in `ListIndexTests`).
struct AddListIndexes: AsyncMigration {
    var name: String { "012_add_list_indexes" }

    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("alerts_status_created_idx", AlertModel.schema, ["status", "created_at_ms", "id"]),
        ("alerts_symbol_created_idx", AlertModel.schema, ["symbol", "created_at_ms", "id"]),
        ("alert_triggers_alert_fired_idx", AlertTriggerModel.schema, ["alert_id", "fired_at_ms", "id"]),
        ("alert_triggers_symbol_fired_idx", AlertTriggerModel.schema, ["symbol", "fired_at_ms", "id"]),
        ("alert_triggers_source_fired_idx", AlertTriggerModel.schema, ["source", "fired_at_ms", "id"]),
        ("orders_created_id_idx", OrderModel.schema, ["created_at_ms", "client_order_id"]),
        ("orders_symbol_created_idx", OrderModel.schema, ["symbol", "created_at_ms", "client_order_id"]),
        ("orders_status_created_idx", OrderModel.schema, ["status", "created_at_ms", "client_order_id"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
