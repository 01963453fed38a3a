import Foundation

/// What to tell the user about one event (an alert firing or a risk-limit breach), for any outside
/// channel: each `Notifier` (TradingEngine) renders it in its own format (Discord: one embed, see
/// `DiscordMessageBuilder` in the Discord target). Plain data, so it can be queued or stored.
///
/// Its JSON (default `JSONEncoder`) is what the outbox stored as a `DiscordNotification` before
/// the notifier port existed: same keys, so rows queued by older versions still decode.
///
/// Foundation has a `NotificationMessage` too: outside this module write `NotificationMessage`.
public struct NotificationMessage: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        case alert
        case risk
    }

    /// Which way the price went: the colour intent (Discord: green up, red down, grey neutral).
    public enum Direction: String, Sendable, Hashable, Codable {
        case up
        case down
        case neutral
    }

    /// One extra named line (for risk: reason, limit, value); Discord shows it as an embed field.
    public struct Detail: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
        /// Shown side by side with neighbouring inline fields.
        public var inline: Bool

        public init(name: String, value: String, inline: Bool = true) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }

    public var kind: Kind
    /// The ticker, when the event concerns one.
    public var symbol: String?
    /// The alert type's raw value (`price_above`, …) or `risk`.
    public var type: String
    /// The headline (Discord: embed title and message content).
    public var title: String
    /// One-line explanation (Discord: the embed description); built from the other fields when nil.
    public var summary: String?
    /// The alert threshold as the user set it (a percent for `percent_change`).
    public var threshold: Decimal?
    /// The absolute price level that was met or crossed.
    public var level: Decimal?
    /// The price that fired the alert.
    public var price: Decimal?
    public var direction: Direction
    /// When it happened (Discord shows it in New York time and as the embed timestamp).
    public var time: Date
    /// The user's note; a channel must never let it ping anyone (Discord: empty `allowed_mentions`).
    public var note: String?
    /// Extra fields after the standard ones.
    public var details: [Detail]
    /// The outbox dedupe key it was queued under (`alert:{id}:{sequence}`, `risk:{episode}`); set by
    /// the outbox when delivering, nil for a message sent directly (the settings test message).
    public var dedupeKey: String?

    public init(
        kind: Kind, symbol: String?, type: String, title: String, summary: String? = nil, threshold: Decimal? = nil,
        level: Decimal? = nil, price: Decimal? = nil, direction: Direction = .neutral, time: Date, note: String? = nil,
        details: [Detail] = [], dedupeKey: String? = nil
    ) {
        self.kind = kind
        self.symbol = symbol
        self.type = type
        self.title = title
        self.summary = summary
        self.threshold = threshold
        self.level = level
        self.price = price
        self.direction = direction
        self.time = time
        self.note = note
        self.details = details
        self.dedupeKey = dedupeKey
    }

    /// The notification for one alert firing; the note is the alert rule's note (nil when blank).
    public static func alert(_ firing: AlertFiring) -> NotificationMessage {
        let symbol = firing.symbol.rawValue
        let direction: Direction = switch firing.side {
        case .above: .up
        case .below: .down
        case .unknown: .neutral
        }
        let title: String
        let summary: String
        switch firing.type {
        case .priceAbove:
            title = "\(symbol) at or above \(firing.threshold)"
            summary = "\(symbol) traded at \(firing.price), at or above the alert level \(firing.level)."
        case .priceBelow:
            title = "\(symbol) at or below \(firing.threshold)"
            summary = "\(symbol) traded at \(firing.price), at or below the alert level \(firing.level)."
        case .priceCross:
            let way = firing.side == .below ? "below" : "above"
            title = "\(symbol) crossed \(way) \(firing.threshold)"
            summary = "\(symbol) traded at \(firing.price), crossing \(way) \(firing.level)."
        case .percentChange:
            let sign = firing.side == .below ? "−" : "+"
            let way = firing.side == .below ? "down" : "up"
            title = "\(symbol) moved \(sign)\(firing.threshold)% from the previous close"
            summary = "\(symbol) traded at \(firing.price), \(way) \(firing.threshold)% or more from the previous close (level \(firing.level))."
        }
        let note = firing.rule.note.trimmingCharacters(in: .whitespacesAndNewlines)
        return NotificationMessage(
            kind: .alert, symbol: symbol, type: firing.type.rawValue, title: title, summary: summary,
            threshold: firing.threshold, level: firing.level, price: firing.price, direction: direction,
            time: firing.time, note: note.isEmpty ? nil : note)
    }

    /// A test message (`POST /api/v1/settings/discord/test`): type `test`, grey, no symbol.
    public static func test(at time: Date) -> NotificationMessage {
        NotificationMessage(
            kind: .alert, symbol: nil, type: "test", title: "Test message from Trading Assistant",
            summary: "Discord forwarding works: alerts and risk warnings will arrive in this channel.", time: time)
    }

    /// The notification for a breached risk limit. Shown red (`down`) unless told otherwise.
    public static func risk(
        title: String, reason: String, limit: Decimal?, value: Decimal?, symbol: String? = nil, time: Date,
        note: String? = nil, direction: Direction = .down
    ) -> NotificationMessage {
        var details = [Detail(name: "Reason", value: reason, inline: false)]
        if let limit { details.append(Detail(name: "Limit", value: "\(limit)")) }
        if let value { details.append(Detail(name: "Value", value: "\(value)")) }
        return NotificationMessage(
            kind: .risk, symbol: symbol, type: "risk", title: title, summary: reason, direction: direction,
            time: time, note: note, details: details)
    }
}

