import FluentKit
import FluentSQL
import Foundation
import TradingDomain

/// Every migration, in order. Append new ones; never edit one that has shipped.
public enum Schema {
    public static var migrations: Migrations {
        let migrations = Migrations()
        migrations.add(CreateSettings())
        migrations.add(CreateWatchlist())
        migrations.add(CreateJournal())
        migrations.add(CreatePlans())
        migrations.add(CreateAlerts())
        migrations.add(CreateOutbox())
        migrations.add(CreateOrders())
        migrations.add(CreateRiskFirings())
        migrations.add(CreateCoachMessages())
        return migrations
    }

    /// Names of every migration, in order (shown by `/api/v1/diag/db`).
    public static let migrationNames = [
        CreateSettings().name, CreateWatchlist().name, CreateJournal().name, CreatePlans().name, CreateAlerts().name,
        CreateOutbox().name, CreateOrders().name, CreateRiskFirings().name,
        CreateCoachMessages().name,
    ]
}

struct CreateSettings: AsyncMigration {
    var name: String { "001_create_settings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SettingsModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("document", .string, .required)
            .field("version", .int, .required)
            .field("updated_at_ms", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SettingsModel.schema).delete()
    }
}

struct CreateWatchlist: AsyncMigration {
    var name: String { "002_create_watchlist" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WatchlistItemModel.schema)
            .field("symbol", .string, .identifier(auto: false))
            .field("position", .int, .required)
            .field("added_at_ms", .int64, .required)
            .create()
        // A new installation starts with a sensible list; later edits are the user's.
        let now = Date().epochMilliseconds
        for (index, symbol) in Watchlist.defaultSymbols.enumerated() {
            try await WatchlistItemModel(symbol: symbol.rawValue, position: index, addedAtMs: now).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WatchlistItemModel.schema).delete()
    }
}

struct CreateJournal: AsyncMigration {
    var name: String { "003_create_journal" }

    func prepare(on database: any Database) async throws {
        try await database.schema(JournalEntryModel.schema)
            .id()
            .field("symbol", .string, .required)
            .field("asset_class", .string, .required)
            .field("side", .string, .required)
            .field("entry_price", .string, .required)
            .field("exit_price", .string)
            .field("quantity", .string, .required)
            .field("stop", .string)
            .field("targets", .string, .required)
            .field("fees", .string, .required)
            .field("tags", .string, .required)
            .field("notes", .string, .required)
            .field("is_open", .bool, .required)
            .field("opened_at_ms", .int64, .required)
            .field("closed_at_ms", .int64)
            .field("source", .string, .required)
            .field("plan_id", .uuid)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "journal_entries_opened_idx")
                .on(JournalEntryModel.schema).column("opened_at_ms").column("id").run()
            try await sql.create(index: "journal_entries_symbol_idx")
                .on(JournalEntryModel.schema).column("symbol").column("opened_at_ms").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JournalEntryModel.schema).delete()
    }
}

struct CreatePlans: AsyncMigration {
    var name: String { "004_create_trade_plans" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TradePlanModel.schema)
            .id()
            .field("symbol", .string, .required)
            .field("side", .string, .required)
            .field("asset_class", .string, .required)
            .field("entry", .string, .required)
            .field("stop", .string, .required)
            .field("targets", .string, .required)
            .field("quantity", .string)
            .field("thesis", .string)
            .field("timeframe", .string)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "trade_plans_created_idx")
                .on(TradePlanModel.schema).column("created_at_ms").column("id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TradePlanModel.schema).delete()
    }
}

struct CreateAlerts: AsyncMigration {
    var name: String { "005_create_alerts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AlertModel.schema)
            .id()
            .field("symbol", .string, .required)
            .field("type", .string, .required)
            .field("threshold", .string, .required)
            .field("direction", .string)
            .field("mode", .string, .required)
            .field("cooldown_s", .int)
            .field("expires_at_ms", .int64)
            .field("note", .string, .required)
            .field("status", .string, .required)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .field("last_fired_at_ms", .int64)
            .field("fire_count", .int, .required)
            .field("last_side", .string, .required)
            .create()
        try await database.schema(AlertTriggerModel.schema)
            .id()
            .field("alert_id", .uuid, .required)
            .field("sequence", .int, .required)
            .field("symbol", .string, .required)
            .field("type", .string, .required)
            .field("threshold", .string, .required)
            .field("level", .string, .required)
            .field("side", .string, .required)
            .field("price", .string, .required)
            .field("fired_at_ms", .int64, .required)
            .field("source", .string, .required)
            .unique(on: "alert_id", "sequence")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "alerts_created_idx").on(AlertModel.schema).column("created_at_ms").column("id").run()
            try await sql.create(index: "alerts_status_idx").on(AlertModel.schema).column("status").run()
            try await sql.create(index: "alert_triggers_fired_idx").on(AlertTriggerModel.schema).column("fired_at_ms").column("id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AlertTriggerModel.schema).delete()
        try await database.schema(AlertModel.schema).delete()
    }
}

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
