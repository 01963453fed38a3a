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
    /// `regular` or `extended` (migration 010).
    @Field(key: "sessions") var sessions: String
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

final class OutboxModel: Model, @unchecked Sendable {
    static let schema = "outbox"

    @ID(key: .id) var id: UUID?
    @Field(key: "channel") var channel: String
    /// Unique: one message per announced thing.
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "payload") var payload: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at_ms") var nextAttemptAtMs: Int64
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at_ms") var createdAtMs: Int64
    @Field(key: "updated_at_ms") var updatedAtMs: Int64
    @OptionalField(key: "delivered_at_ms") var deliveredAtMs: Int64?

    init() {}
}

/// One of our orders: the intent is stored before the broker is called.
final class OrderModel: Model, @unchecked Sendable {
    static let schema = "orders"

    /// Our client order id (the broker's tag).
    @ID(custom: "client_order_id", generatedBy: .user) var id: String?
    @OptionalField(key: "broker_order_id") var brokerOrderID: String?
    @Field(key: "broker") var broker: String
    @OptionalField(key: "confirmation_token") var confirmationToken: String?
    @OptionalField(key: "parent_id") var parentID: String?
    @Field(key: "symbol") var symbol: String
    @Field(key: "action") var action: String
    @Field(key: "quantity") var quantity: String
    @Field(key: "type") var type: String
    @Field(key: "duration") var duration: String
    @OptionalField(key: "limit_price") var limitPrice: String?
    @OptionalField(key: "stop_price") var stopPrice: String?
    @OptionalField(key: "plan_id") var planID: UUID?
    @OptionalField(key: "bracket_role") var bracketRole: String?
    @Field(key: "status") var status: String
    @Field(key: "is_final") var isFinal: Bool
    @Field(key: "filled_quantity") var filledQuantity: String
    @OptionalField(key: "average_fill_price") var averageFillPrice: String?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "created_at_ms") var createdAtMs: Int64
    @Field(key: "updated_at_ms") var updatedAtMs: Int64

    init() {}
}

/// One execution, stored once by its id, with the journal legs it produced.
final class FillModel: Model, @unchecked Sendable {
    static let schema = "fills"

    @ID(custom: "fill_id", generatedBy: .user) var id: String?
    @Field(key: "client_order_id") var clientOrderID: String
    @Field(key: "symbol") var symbol: String
    @Field(key: "action") var action: String
    @Field(key: "quantity") var quantity: String
    @Field(key: "price") var price: String
    @Field(key: "commission") var commission: String
    @Field(key: "filled_at_ms") var filledAtMs: Int64

    init() {}
}

/// The part of a fill that opened or closed one journal entry.
final class ExecutionLegModel: Model, @unchecked Sendable {
    static let schema = "execution_legs"

    @ID(key: .id) var id: UUID?
    @Field(key: "fill_id") var fillID: String
    @Field(key: "entry_id") var entryID: UUID
    @Field(key: "effect") var effect: String
    @Field(key: "quantity") var quantity: String
    @Field(key: "price") var price: String

    init() {}
}

/// One leg of an imported fill (docs/journal.md, "Import and export").
final class ImportedFillModel: Model, @unchecked Sendable {
    static let schema = "imported_fills"

    @ID(key: .id) var id: UUID?
    @Field(key: "fill_id") var fillID: String
    @Field(key: "entry_id") var entryID: UUID
    @Field(key: "effect") var effect: String
    @Field(key: "quantity") var quantity: String
    @Field(key: "price") var price: String
    @Field(key: "line") var line: Int
    @Field(key: "filled_at_ms") var filledAtMs: Int64

    init() {}
}

/// Documents kept whole (the paper broker's ledger, the risk state): one row per name.
final class DocumentModel: Model, @unchecked Sendable {
    static let schema = "documents"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "body") var body: String
    @Field(key: "updated_at_ms") var updatedAtMs: Int64

    init() {}
}

/// A risk breach episode's firing.
final class RiskFiringModel: Model, @unchecked Sendable {
    static let schema = "risk_firings"

    @ID(custom: "episode_id", generatedBy: .user) var id: String?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "symbol") var symbol: String?
    @Field(key: "value") var value: String
    @Field(key: "limit_value") var limit: String
    @Field(key: "message") var message: String
    @Field(key: "mode") var mode: String
    @Field(key: "fired_at_ms") var firedAtMs: Int64

    init() {}
}

/// One message of a coach conversation (sources and actions as JSON).
final class CoachMessageModel: Model, @unchecked Sendable {
    static let schema = "coach_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "role") var role: String
    @Field(key: "content") var content: String
    @OptionalField(key: "confidence") var confidence: String?
    @Field(key: "sources") var sources: String
    @Field(key: "actions") var actions: String
    @Field(key: "created_at_ms") var createdAtMs: Int64

    init() {}
}
