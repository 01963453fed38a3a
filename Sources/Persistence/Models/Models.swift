import FluentKit
import Foundation

// Fluent models never leave this target: repositories map them to domain values.
// Money is stored as TEXT holding the exact decimal string, and times as Int64 epoch
// milliseconds, so SQLite and PostgreSQL store identical values and compare them exactly.

final class SettingsModel: Model, @unchecked Sendable {
    static let schema = "app_settings"
    static let singletonID = "default"

    @ID(custom: "id", generatedBy: .user) var id: String?
    /// The settings document as JSON.
    @Field(key: "document") var document: String
    /// Increases on every save (optimistic concurrency).
    @Field(key: "version") var version: Int
    @Field(key: "updated_at_ms") var updatedAtMs: Int64

    init() {}

    init(document: String, version: Int, updatedAtMs: Int64) {
        self.id = Self.singletonID
        self.document = document
        self.version = version
        self.updatedAtMs = updatedAtMs
    }
}

final class WatchlistItemModel: Model, @unchecked Sendable {
    static let schema = "watchlist_items"

    @ID(custom: "symbol", generatedBy: .user) var id: String?
    @Field(key: "position") var position: Int
    @Field(key: "added_at_ms") var addedAtMs: Int64

    init() {}

    init(symbol: String, position: Int, addedAtMs: Int64) {
        self.id = symbol
        self.position = position
        self.addedAtMs = addedAtMs
    }
}

final class JournalEntryModel: Model, @unchecked Sendable {
    static let schema = "journal_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "symbol") var symbol: String
    @Field(key: "asset_class") var assetClass: String
    @Field(key: "side") var side: String
    @Field(key: "entry_price") var entryPrice: String
    @OptionalField(key: "exit_price") var exitPrice: String?
    @Field(key: "quantity") var quantity: String
    @OptionalField(key: "stop") var stop: String?
    /// JSON array of decimal strings.
    @Field(key: "targets") var targets: String
    @Field(key: "fees") var fees: String
    /// Tags joined and wrapped with commas (`,swing,earnings,`) so one tag is matched exactly with
    /// LIKE '%,tag,%' (tags never contain commas, '%' or '_').
    @Field(key: "tags") var tags: String
    @Field(key: "notes") var notes: String
    @Field(key: "is_open") var isOpen: Bool
    @Field(key: "opened_at_ms") var openedAtMs: Int64
    @OptionalField(key: "closed_at_ms") var closedAtMs: Int64?
    @Field(key: "source") var source: String
    @OptionalField(key: "plan_id") var planID: UUID?
    @Field(key: "created_at_ms") var createdAtMs: Int64
    @Field(key: "updated_at_ms") var updatedAtMs: Int64

    init() {}
}

final class TradePlanModel: Model, @unchecked Sendable {
    static let schema = "trade_plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "symbol") var symbol: String
    @Field(key: "side") var side: String
    @Field(key: "asset_class") var assetClass: String
    @Field(key: "entry") var entry: String
    @Field(key: "stop") var stop: String
    /// JSON array of decimal strings.
    @Field(key: "targets") var targets: String
    @OptionalField(key: "quantity") var quantity: String?
    @OptionalField(key: "thesis") var thesis: String?
    @OptionalField(key: "timeframe") var timeframe: String?
    @Field(key: "created_at_ms") var createdAtMs: Int64
    @Field(key: "updated_at_ms") var updatedAtMs: Int64

    init() {}
}

final class AlertModel: Model, @unchecked Sendable {
    static let schema = "alerts"

    @ID(key: .id) var id: UUID?
    @Field(key: "symbol") var symbol: String
    @Field(key: "type") var type: String
    @Field(key: "threshold") var threshold: String
    @OptionalField(key: "direction") var direction: String?
    @Field(key: "mode") var mode: String
    @OptionalField(key: "cooldown_s") var cooldownSeconds: Int?
    @OptionalField(key: "expires_at_ms") var expiresAtMs: Int64?
    @Field(key: "note") var note: String
    @Field(key: "status") var status: String
    @Field(key: "created_at_ms") var createdAtMs: Int64
    @Field(key: "updated_at_ms") var updatedAtMs: Int64
    @OptionalField(key: "last_fired_at_ms") var lastFiredAtMs: Int64?
    @Field(key: "fire_count") var fireCount: Int
    /// The engine's last observed side (`above`, `below`, `unknown`), kept so a restart neither
    /// loses a crossing nor repeats a firing.
    @Field(key: "last_side") var lastSide: String

    init() {}
}

final class AlertTriggerModel: Model, @unchecked Sendable {
    static let schema = "alert_triggers"

    @ID(key: .id) var id: UUID?
    @Field(key: "alert_id") var alertID: UUID
    /// The alert's n-th firing; (alert_id, sequence) is unique, so a firing is stored at most once.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "symbol") var symbol: String
    @Field(key: "type") var type: String
    @Field(key: "threshold") var threshold: String
    @Field(key: "level") var level: String
    @Field(key: "side") var side: String
    @Field(key: "price") var price: String
    @Field(key: "fired_at_ms") var firedAtMs: Int64
    @Field(key: "source") var source: String

    init() {}
}
