import Foundation

/// What to tell Discord about one event (an alert firing or a risk-limit breach), before it is
/// turned into a webhook body by `DiscordMessageBuilder`. Plain data, so it can be queued or stored.
public struct DiscordNotification: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        case alert
        case risk
    }

    /// Which way the price went; picks the embed colour (green up, red down, grey neutral).
    public enum Direction: String, Sendable, Hashable, Codable {
        case up
        case down
        case neutral
    }

    /// One extra named line, shown as an embed field (for risk: reason, limit, value).
    public struct Detail: Sendable, Hashable, Codable {
        /// The field name (cut to 256).
        public var name: String
        /// The field value (cut to 1024).
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
    /// The headline (embed title and message content).
    public var title: String
    /// One-line explanation for the embed description; built from the other fields when nil.
    public var summary: String?
    /// The alert threshold as the user set it (a percent for `percent_change`).
    public var threshold: Decimal?
    /// The absolute price level that was met or crossed.
    public var level: Decimal?
    /// The price that fired the alert.
    public var price: Decimal?
    public var direction: Direction
    /// When it happened (shown in New York time and as the embed timestamp).
    public var time: Date
    /// The user's note; never allowed to mention anyone (see `DiscordAllowedMentions`).
    public var note: String?
    /// Extra fields after the standard ones.
    public var details: [Detail]

    public init(
        kind: Kind, symbol: String?, type: String, title: String, summary: String? = nil, threshold: Decimal? = nil,
        level: Decimal? = nil, price: Decimal? = nil, direction: Direction = .neutral, time: Date, note: String? = nil,
        details: [Detail] = []
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
    }

    /// The notification for one alert firing; the note is the alert rule's note (nil when blank).
    public static func alert(_ firing: AlertFiring) -> DiscordNotification {
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
        return DiscordNotification(
            kind: .alert, symbol: symbol, type: firing.type.rawValue, title: title, summary: summary,
            threshold: firing.threshold, level: firing.level, price: firing.price, direction: direction,
            time: firing.time, note: note.isEmpty ? nil : note)
    }

    /// A test message (`POST /api/v1/settings/discord/test`): type `test`, grey, no symbol.
    public static func test(at time: Date) -> DiscordNotification {
        DiscordNotification(
            kind: .alert, symbol: nil, type: "test", title: "Test message from Trading Assistant",
            summary: "Discord forwarding works: alerts and risk warnings will arrive in this channel.", time: time)
    }

    /// The notification for a breached risk limit. Shown red (`down`) unless told otherwise.
    public static func risk(
        title: String, reason: String, limit: Decimal?, value: Decimal?, symbol: String? = nil, time: Date,
        note: String? = nil, direction: Direction = .down
    ) -> DiscordNotification {
        var details = [Detail(name: "Reason", value: reason, inline: false)]
        if let limit { details.append(Detail(name: "Limit", value: "\(limit)")) }
        if let value { details.append(Detail(name: "Value", value: "\(value)")) }
        return DiscordNotification(
            kind: .risk, symbol: symbol, type: "risk", title: title, summary: reason, direction: direction,
            time: time, note: note, details: details)
    }
}

/// Turns a `DiscordNotification` into a webhook body of one embed, within every Discord limit.
public enum DiscordMessageBuilder {
    /// Embed colours by direction: green, red, grey.
    public static let colorUp = 0x2ECC71, colorDown = 0xE74C3C, colorNeutral = 0x95A5A6
    public static let footerText = "Trading Assistant"

    /// Discord's documented limits (external-apis.md 3.2); `embedTotal` caps title + description +
    /// field names and values + footer (+ author name) across all embeds.
    public enum Limit {
        public static let content = 2000, username = 80, title = 256, description = 4096, fields = 25
        public static let fieldName = 256, fieldValue = 1024, footer = 2048, embedTotal = 6000
    }

    /// The webhook body: the title as `content`, one embed, no mentions allowed. `username` is used
    /// only when Discord would accept it (not blank, not containing "discord" or "clyde").
    public static func payload(for notification: DiscordNotification, username: String?) -> DiscordWebhookPayload {
        var fields: [DiscordEmbedField] = []
        func add(_ name: String, _ value: String, inline: Bool = true) {
            let name = DiscordText.truncate(name, to: Limit.fieldName)
            let value = DiscordText.truncate(value, to: Limit.fieldValue)
            fields.append(DiscordEmbedField(name: name.isEmpty ? "-" : name, value: value.isEmpty ? "-" : value, inline: inline))
        }
        let isPercent = notification.type == AlertType.percentChange.rawValue
        if let symbol = notification.symbol { add("Symbol", symbol) }
        add("Type", typeLabel(notification.type))
        if let threshold = notification.threshold { add("Threshold", isPercent ? "\(threshold)%" : "\(threshold)") }
        if let level = notification.level, isPercent || level != notification.threshold { add("Level", "\(level)") }
        if let price = notification.price { add("Price", "\(price)") }
        add("Time", newYorkTime(notification.time))
        for detail in notification.details { add(detail.name, detail.value, inline: detail.inline) }
        fields = Array(fields.prefix(Limit.fields))

        var description = notification.summary ?? defaultSummary(notification)
        if let note = notification.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty {
            description += "\n\nNote: " + note
        }
        let title = DiscordText.truncate(notification.title, to: Limit.title)
        let text = DiscordText.truncate(description, to: Limit.description)
        var embed = DiscordEmbed(
            title: title.isEmpty ? nil : title, description: text.isEmpty ? nil : text, color: color(notification.direction),
            timestamp: ISO8601.format(notification.time), fields: fields,
            footer: DiscordEmbedFooter(text: DiscordText.truncate(footerText, to: Limit.footer)))
        fitTotal(&embed)
        let content = DiscordText.truncate(notification.title, to: Limit.content)
        return DiscordWebhookPayload(
            content: content.isEmpty ? nil : content, username: acceptableUsername(username), embeds: [embed])
    }

    /// The name trimmed and cut to 80, or nil when Discord would refuse it (blank, or containing
    /// "discord" or "clyde" in any case).
    public static func acceptableUsername(_ name: String?) -> String? {
        guard let name else { return nil }
        let lowered = name.lowercased()
        guard !lowered.contains("discord"), !lowered.contains("clyde") else { return nil }
        let cut = DiscordText.truncate(name, to: Limit.username)
        return cut.isEmpty ? nil : cut
    }

    /// `2026-11-26 10:31:05 EST`: the wall-clock time in America/New_York with EST or EDT.
    public static func newYorkTime(_ date: Date) -> String {
        let zone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3600) ?? .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let abbreviation = switch zone.secondsFromGMT(for: date) {
        case -4 * 3600: "EDT"
        case -5 * 3600: "EST"
        default: zone.abbreviation(for: date) ?? "ET"
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day)) "
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)) \(abbreviation)"
    }

    /// The embed colour for a direction.
    public static func color(_ direction: DiscordNotification.Direction) -> Int {
        switch direction {
        case .up: colorUp
        case .down: colorDown
        case .neutral: colorNeutral
        }
    }

    static func typeLabel(_ type: String) -> String {
        switch type {
        case AlertType.priceAbove.rawValue: "Price above"
        case AlertType.priceBelow.rawValue: "Price below"
        case AlertType.priceCross.rawValue: "Price cross"
        case AlertType.percentChange.rawValue: "Percent change"
        case "risk": "Risk limit"
        case "test": "Test"
        default: type
        }
    }

    static func defaultSummary(_ notification: DiscordNotification) -> String {
        var parts: [String] = []
        if let symbol = notification.symbol { parts.append(symbol) }
        if let price = notification.price { parts.append("traded at \(price)") }
        return parts.isEmpty ? typeLabel(notification.type) : parts.joined(separator: " ") + "."
    }

    /// Shrinks the embed until its counted text is within `Limit.embedTotal`: first the description,
    /// then field values from the last, then the title; fields go last (the footer always stays).
    static func fitTotal(_ embed: inout DiscordEmbed) {
        func excess() -> Int { embed.textLength - Limit.embedTotal }
        func shrink(_ text: String) -> String {
            DiscordText.truncate(text, to: max(1, DiscordText.length(text) - excess()))
        }
        if excess() > 0, let description = embed.description { embed.description = shrink(description) }
        for index in embed.fields.indices.reversed() where excess() > 0 {
            embed.fields[index].value = shrink(embed.fields[index].value)
        }
        if excess() > 0, let title = embed.title { embed.title = shrink(title) }
        while excess() > 0, !embed.fields.isEmpty { embed.fields.removeLast() }
    }
}
