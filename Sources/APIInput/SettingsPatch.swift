import Foundation
import TradingDomain

/// Applies a JSON merge patch (RFC 7396) to the settings, validating every field and reporting
/// every violation at once. `null` clears an optional setting; required settings cannot be null.
extension AppSettings {
    public static let maxPercent: Decimal = 100
    public static let maxMoney: Decimal = 1_000_000_000_000

    public func applying(patch: JSONValue) throws(ValidationFailure) -> AppSettings {
        var errors = FieldErrors()
        guard var root = ObjectReader.root(patch, errors: &errors) else {
            throw ValidationFailure(errors.errors)
        }
        var result = self
        switch root.object("risk", errors: &errors) {
        case .value(var reader):
            result.risk = risk.applying(&reader, errors: &errors)
            reader.rejectUnknownKeys(errors: &errors)
        case .null: errors.add("risk", "cannot be null")
        case .absent: break
        }
        switch root.object("account", errors: &errors) {
        case .value(var reader):
            result.account = account.applying(&reader, errors: &errors)
            reader.rejectUnknownKeys(errors: &errors)
        case .null: errors.add("account", "cannot be null")
        case .absent: break
        }
        switch root.object("discord", errors: &errors) {
        case .value(var reader):
            result.discord = discord.applying(&reader, errors: &errors)
            reader.rejectUnknownKeys(errors: &errors)
        case .null: errors.add("discord", "cannot be null")
        case .absent: break
        }
        root.rejectUnknownKeys(errors: &errors)
        try errors.throwIfAny()
        return result
    }
}

extension DiscordSettings {
    func applying(_ reader: inout ObjectReader, errors: inout FieldErrors) -> DiscordSettings {
        var result = self
        switch reader.string("webhook_url", errors: &errors, maxLength: 512) {
        case .value(let text):
            // A masked URL sent back unchanged (as read) keeps the stored one.
            if let current = webhookURL, text == DiscordWebhookURL.masked(current) { break }
            if let url = errors.collect({ try DiscordWebhookURL.validate(text.trimmingWhitespace(), field: reader.fieldPath("webhook_url")) }) {
                result.webhookURL = url
            }
        case .null: result.webhookURL = nil
        case .absent: break
        }
        reader.bool("enabled", errors: &errors).applyRequired(reader.fieldPath("enabled"), errors: &errors) { result.enabled = $0 }
        switch reader.array("alert_types", errors: &errors, maxCount: 10) {
        case .value(let items):
            var types: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let type) = item, DiscordSettings.forwardableTypes.contains(type) else {
                    errors.add(reader.fieldPath("alert_types") + "[\(index)]", "must be one of \(DiscordSettings.forwardableTypes.joined(separator: ", "))")
                    continue
                }
                if !types.contains(type) { types.append(type) }
            }
            result.alertTypes = types
        case .null: errors.add(reader.fieldPath("alert_types"), "cannot be null (send [] to forward nothing)")
        case .absent: break
        }
        reader.string("username", errors: &errors, maxLength: 80).applyOptional { result.username = $0?.trimmingWhitespace() }
        // Set by the server only; a client sending back what it read is not an error.
        reader.ignore("disabled_reason")
        if result.webhookURL != webhookURL || (result.enabled && !enabled) { result.disabledReason = nil }
        if result.enabled && result.webhookURL == nil {
            errors.add(reader.fieldPath("enabled"), "needs \(reader.fieldPath("webhook_url")) to be set")
        }
        return result
    }
}

extension ObjectReader.Presence {
    /// For a setting that must always have a value: applies a value, rejects `null`, ignores absence.
    func applyRequired(_ field: String, errors: inout FieldErrors, _ set: (T) -> Void) {
        switch self {
        case .value(let value): set(value)
        case .null: errors.add(field, "cannot be null")
        case .absent: break
        }
    }

    /// For an optional setting: applies a value, clears on `null`, ignores absence.
    func applyOptional(_ set: (T?) -> Void) {
        switch self {
        case .value(let value): set(value)
        case .null: set(nil)
        case .absent: break
        }
    }
}

extension RiskSettings {
    func applying(_ reader: inout ObjectReader, errors: inout FieldErrors) -> RiskSettings {
        var result = self
        func percent(_ key: String) -> ObjectReader.Presence<Decimal> {
            reader.decimal(key, errors: &errors, min: 0, minExclusive: true, max: AppSettings.maxPercent, maxScale: 4)
        }
        percent("risk_per_trade_pct")
            .applyRequired(reader.fieldPath("risk_per_trade_pct"), errors: &errors) { result.riskPerTradePct = $0 }
        percent("max_open_risk_pct")
            .applyRequired(reader.fieldPath("max_open_risk_pct"), errors: &errors) { result.maxOpenRiskPct = $0 }
        percent("max_position_size_pct")
            .applyRequired(reader.fieldPath("max_position_size_pct"), errors: &errors) { result.maxPositionSizePct = $0 }
        percent("max_daily_loss_pct").applyOptional { result.maxDailyLossPct = $0 }
        reader.decimal("max_daily_loss", errors: &errors, min: 0, minExclusive: true, max: AppSettings.maxMoney, maxScale: 2)
            .applyRequired(reader.fieldPath("max_daily_loss"), errors: &errors) { result.maxDailyLoss = $0 }
        reader.int("max_open_positions", errors: &errors, min: 1, max: 10_000)
            .applyOptional { result.maxOpenPositions = $0 }
        if result.riskPerTradePct > result.maxOpenRiskPct {
            errors.add(
                reader.fieldPath("risk_per_trade_pct"),
                "must not exceed max_open_risk_pct (\(result.maxOpenRiskPct))")
        }
        return result
    }
}

extension AccountSettings {
    func applying(_ reader: inout ObjectReader, errors: inout FieldErrors) -> AccountSettings {
        var result = self
        switch reader.string("currency", errors: &errors, maxLength: 16) {
        case .value(let text):
            let code = text.trimmingWhitespace().uppercased()
            if code.count == 3, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) {
                result.currency = code
            } else {
                errors.add(reader.fieldPath("currency"), "must be a 3-letter ISO 4217 code, e.g. USD")
            }
        case .null: errors.add(reader.fieldPath("currency"), "cannot be null")
        case .absent: break
        }
        reader.decimal("equity", errors: &errors, min: 0, minExclusive: true, max: AppSettings.maxMoney, maxScale: 2)
            .applyRequired(reader.fieldPath("equity"), errors: &errors) { result.equity = $0 }
        return result
    }
}
