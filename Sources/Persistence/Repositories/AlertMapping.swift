import Foundation
import TradingDomain
import TradingEngine

/// Model <-> domain mapping of alerts and triggers.
enum AlertMapping {
    static func copy(_ rule: AlertRule, into model: AlertModel) {
        model.symbol = rule.symbol.rawValue
        model.type = rule.type.rawValue
        model.threshold = DecimalColumns.text(rule.threshold)
        model.direction = rule.direction?.rawValue
        model.mode = rule.mode.rawValue
        model.cooldownSeconds = rule.cooldownSeconds
        model.expiresAtMs = rule.expiresAt?.epochMilliseconds
        model.note = rule.note
        model.sessions = rule.sessions.rawValue
        model.status = rule.status.rawValue
        model.createdAtMs = rule.createdAt.epochMilliseconds
        model.updatedAtMs = rule.updatedAt.epochMilliseconds
        model.lastFiredAtMs = rule.lastFiredAt?.epochMilliseconds
        model.fireCount = rule.fireCount
        model.lastSide = rule.lastSide.rawValue
    }

    static func rule(from model: AlertModel) throws -> AlertRule {
        guard let id = model.id, let type = AlertType(rawValue: model.type), let mode = AlertMode(rawValue: model.mode),
              let status = AlertStatus(rawValue: model.status), let side = AlertSide(rawValue: model.lastSide),
              let sessions = AlertSessions(rawValue: model.sessions)
        else { throw StoredDataError("alert \(model.id?.uuidString ?? "?") has an unreadable column") }
        return AlertRule(
            id: id, symbol: Symbol(trusted: model.symbol), type: type,
            threshold: try DecimalColumns.decimal(model.threshold, column: "threshold", row: id),
            direction: model.direction.flatMap(PercentDirection.init(rawValue:)), mode: mode,
            cooldownSeconds: model.cooldownSeconds, expiresAt: model.expiresAtMs.map(Date.init(epochMilliseconds:)),
            note: model.note, sessions: sessions, status: status, createdAt: Date(epochMilliseconds: model.createdAtMs),
            updatedAt: Date(epochMilliseconds: model.updatedAtMs), lastFiredAt: model.lastFiredAtMs.map(Date.init(epochMilliseconds:)),
            fireCount: model.fireCount, lastSide: side)
    }

    static func copy(_ firing: AlertFiring, into model: AlertTriggerModel) {
        model.alertID = firing.alertID
        model.sequence = firing.sequence
        model.symbol = firing.symbol.rawValue
        model.type = firing.type.rawValue
        model.threshold = DecimalColumns.text(firing.threshold)
        model.level = DecimalColumns.text(firing.level)
        model.side = firing.side.rawValue
        model.price = DecimalColumns.text(firing.price)
        model.firedAtMs = firing.time.epochMilliseconds
        model.source = firing.source.rawValue
    }

    /// A stored trigger; `rule` is the alert now (or a stand-in built from the trigger if it was deleted).
    static func trigger(from model: AlertTriggerModel, rule: AlertRule?) throws -> AlertTrigger {
        guard let id = model.id, let type = AlertType(rawValue: model.type), let side = AlertSide(rawValue: model.side),
              let source = FiringSource(rawValue: model.source)
        else { throw StoredDataError("alert trigger \(model.id?.uuidString ?? "?") has an unreadable column") }
        let time = Date(epochMilliseconds: model.firedAtMs)
        let threshold = try DecimalColumns.decimal(model.threshold, column: "threshold", row: id)
        let symbol = Symbol(trusted: model.symbol)
        let owner = rule ?? AlertRule(
            id: model.alertID, symbol: symbol, type: type, threshold: threshold, status: .disabled, createdAt: time, updatedAt: time)
        return AlertTrigger(id: id, firing: AlertFiring(
            alertID: model.alertID, sequence: model.sequence, symbol: symbol, type: type, threshold: threshold,
            level: try DecimalColumns.decimal(model.level, column: "level", row: id), side: side,
            price: try DecimalColumns.decimal(model.price, column: "price", row: id), time: time, source: source, rule: owner))
    }
}
