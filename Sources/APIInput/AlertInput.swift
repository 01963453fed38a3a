import Foundation
import TradingDomain

/// Reads and validates alert input: a full alert for create, a JSON merge patch for update. Both report
/// every violation at once, each with the JSON field name, and unknown fields too.
public enum AlertInput {
    public static let maxPrice: Decimal = 10_000_000
    public static let maxPriceDecimals = 6
    public static let maxPercent: Decimal = 1_000
    public static let maxPercentDecimals = 4
    public static let minCooldownSeconds = 10
    public static let maxCooldownSeconds = 7 * 24 * 3600
    public static let maxNoteLength = 500
    /// Fields the server writes; a client may echo them back, and they are ignored.
    static let readOnlyFields = ["id", "created_at", "updated_at", "last_fired_at", "fire_count", "last_side"]

    /// Builds a new active (or disabled) alert from a create request body.
    public static func create(_ body: JSONValue, id: UUID, now: Date) throws(ValidationFailure) -> AlertRule {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        func required<T>(_ key: String, _ presence: ObjectReader.Presence<T>) -> T? {
            if let value = presence.value { return value }
            if !errors.errors.contains(where: { $0.field == key }) { errors.add(key, "is required") }
            return nil
        }
        let symbol = required("symbol", reader.symbol("symbol", errors: &errors))
        let type = required("type", reader.enumeration("type", AlertType.self, errors: &errors))
        let threshold = required("threshold", threshold(&reader, &errors))
        let direction = reader.enumeration("direction", PercentDirection.self, errors: &errors).value
        let mode = reader.enumeration("mode", AlertMode.self, errors: &errors).value ?? .once
        let cooldown = cooldown(&reader, &errors).value
        let expiresAt = reader.date("expires_at", errors: &errors).value
        let note = reader.string("note", errors: &errors, maxLength: maxNoteLength).value ?? ""
        let sessions = reader.enumeration("sessions", AlertSessions.self, errors: &errors).value ?? .extended
        let status = status(&reader, &errors).value ?? .active
        reader.ignore(readOnlyFields)
        reader.rejectUnknownKeys(errors: &errors)

        if let type, let threshold { checkThreshold(threshold, type: type, direction: direction, errors: &errors) }
        if direction != nil, let type, type != .percentChange {
            errors.add("direction", "applies only to type 'percent_change'")
        }
        checkCooldown(mode: mode, cooldown: cooldown, errors: &errors)
        if let expiresAt, expiresAt <= now { errors.add("expires_at", "must be in the future") }
        try errors.throwIfAny()
        return AlertRule(
            id: id, symbol: symbol!, type: type!, threshold: threshold!, direction: direction, mode: mode,
            cooldownSeconds: cooldown, expiresAt: expiresAt, note: note, sessions: sessions, status: status,
            createdAt: now, updatedAt: now)
    }

    /// Applies a merge patch. `"status":"active"` re-arms a triggered, expired or disabled alert (its side
    /// is forgotten, so a `price_cross` needs a fresh crossing; an expired one needs a future `expires_at`);
    /// `"status":"disabled"` disables it. Changing the symbol, type, threshold or direction also forgets
    /// the side. `null` clears `expires_at`, `note`, `direction` and `cooldown_s`.
    public static func update(_ rule: AlertRule, patch: JSONValue, now: Date) throws(ValidationFailure) -> AlertRule {
        var errors = FieldErrors()
        guard var reader = ObjectReader.root(patch, errors: &errors) else { throw ValidationFailure(errors.errors) }
        var result = rule
        reader.symbol("symbol", errors: &errors).applyRequired("symbol", errors: &errors) { result.symbol = $0 }
        let typeChange = reader.enumeration("type", AlertType.self, errors: &errors)
        typeChange.applyRequired("type", errors: &errors) { result.type = $0 }
        let thresholdChange = threshold(&reader, &errors)
        thresholdChange.applyRequired("threshold", errors: &errors) { result.threshold = $0 }
        let directionChange = reader.enumeration("direction", PercentDirection.self, errors: &errors)
        directionChange.applyOptional { result.direction = $0 }
        reader.enumeration("mode", AlertMode.self, errors: &errors).applyRequired("mode", errors: &errors) { result.mode = $0 }
        let cooldownChange = cooldown(&reader, &errors)
        cooldownChange.applyOptional { result.cooldownSeconds = $0 }
        let expiryChange = reader.date("expires_at", errors: &errors)
        expiryChange.applyOptional { result.expiresAt = $0 }
        reader.string("note", errors: &errors, maxLength: maxNoteLength).applyOptional { result.note = $0 ?? "" }
        reader.enumeration("sessions", AlertSessions.self, errors: &errors)
            .applyRequired("sessions", errors: &errors) { result.sessions = $0 }
        let statusChange = status(&reader, &errors)
        reader.ignore(readOnlyFields)
        reader.rejectUnknownKeys(errors: &errors)

        if result.type == .percentChange {
            if result.direction == nil { result.direction = .either }
        } else {
            if directionChange.value != nil { errors.add("direction", "applies only to type 'percent_change'") }
            result.direction = nil
        }
        if !typeChange.isAbsent || !thresholdChange.isAbsent || !directionChange.isAbsent {
            checkThreshold(result.threshold, type: result.type, direction: result.direction, errors: &errors)
        }
        if result.mode == .once {
            if cooldownChange.value != nil { checkCooldown(mode: .once, cooldown: result.cooldownSeconds, errors: &errors) }
            result.cooldownSeconds = nil
        } else if !errors.errors.contains(where: { $0.field == "cooldown_s" }) {
            checkCooldown(mode: .repeat, cooldown: result.cooldownSeconds, errors: &errors)
        }
        if let expiresAt = expiryChange.value, expiresAt <= now { errors.add("expires_at", "must be in the future") }
        if result.symbol != rule.symbol || result.type != rule.type || result.threshold != rule.threshold
            || result.direction != rule.direction {
            result.lastSide = .unknown
        }
        switch statusChange.value {
        case .active? where rule.status != .active:
            result.status = .active
            result.lastSide = .unknown
            if result.isExpired(at: now), expiryChange.value == nil {
                errors.add("expires_at", "must be in the future to re-activate the alert (send a new time, or null for none)")
            }
        case .disabled?: result.status = .disabled
        default: break
        }
        try errors.throwIfAny()
        result.updatedAt = now
        return result
    }

    // MARK: rules across fields

    static func checkThreshold(_ threshold: Decimal, type: AlertType, direction: PercentDirection?, errors: inout FieldErrors) {
        if type == .percentChange {
            if threshold > maxPercent {
                errors.add("threshold", "must be at most \(maxPercent) (percent) for percent_change")
            } else if threshold.fractionDigits > maxPercentDecimals {
                errors.add("threshold", "must have at most \(maxPercentDecimals) decimal places for percent_change")
            } else if (direction ?? .either) != .up && threshold >= 100 {
                errors.add("threshold", "must be less than 100 when direction is 'down' or 'either' (a price cannot fall 100%)")
            }
        } else if threshold > maxPrice {
            errors.add("threshold", "must be at most \(maxPrice)")
        } else if threshold.fractionDigits > maxPriceDecimals {
            errors.add("threshold", "must have at most \(maxPriceDecimals) decimal places")
        }
    }

    static func checkCooldown(mode: AlertMode, cooldown: Int?, errors: inout FieldErrors) {
        switch (mode, cooldown) {
        case (.once, .some): errors.add("cooldown_s", "applies only to mode 'repeat'")
        case (.repeat, .none):
            if !errors.errors.contains(where: { $0.field == "cooldown_s" }) {
                errors.add("cooldown_s", "is required when mode is 'repeat' (\(minCooldownSeconds) to \(maxCooldownSeconds) seconds)")
            }
        default: break
        }
    }

    // MARK: field readers

    static func threshold(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<Decimal> {
        reader.decimal("threshold", errors: &errors, min: 0, minExclusive: true)
    }

    static func cooldown(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<Int> {
        reader.int("cooldown_s", errors: &errors, min: minCooldownSeconds, max: maxCooldownSeconds)
    }

    /// A client may set only `active` or `disabled`; `triggered` and `expired` are the engine's.
    static func status(_ reader: inout ObjectReader, _ errors: inout FieldErrors) -> ObjectReader.Presence<AlertStatus> {
        let presence = reader.enumeration("status", AlertStatus.self, errors: &errors)
        switch presence {
        case .value(.triggered), .value(.expired):
            errors.add("status", "can only be set to 'active' or 'disabled'")
            return .absent
        case .null:
            errors.add("status", "cannot be null")
            return .absent
        default:
            return presence
        }
    }
}

extension ObjectReader {
    mutating func ignore(_ keys: [String]) {
        for key in keys { ignore(key) }
    }
}
