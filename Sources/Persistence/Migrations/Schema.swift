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
        migrations.add(AddAlertSessions())
        migrations.add(CreateImportedFills())
        migrations.add(AddListIndexes())
        return migrations
    }

    /// Names of every migration, in order (shown by `/api/v1/diag/db`).
    public static let migrationNames = [
        CreateSettings().name, CreateWatchlist().name, CreateJournal().name, CreatePlans().name, CreateAlerts().name,
        CreateOutbox().name, CreateOrders().name, CreateRiskFirings().name,
        CreateCoachMessages().name, AddAlertSessions().name, CreateImportedFills().name, AddListIndexes().name,
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
