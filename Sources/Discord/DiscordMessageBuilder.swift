import Foundation
import TradingDomain

/// Turns a `NotificationMessage` into a webhook body of one embed, within every Discord limit.
public enum DiscordMessageBuilder {
    /// Embed colours by direction: green, red, grey.
    public static let colorUp = 0x2ECC71, colorDown = 0xE74C3C, colorNeutral = 0x95A5A6
    public static let footerText = "Trading Assistant"

    /// Discord's documented limits (docs/vendors.md §3.2); `embedTotal` caps title + description +
    /// field names and values + footer (+ author name) across all embeds.
    public enum Limit {
        public static let content = 2000, username = 80, title = 256, description = 4096, fields = 25
        public static let fieldName = 256, fieldValue = 1024, footer = 2048, embedTotal = 6000
    }

    /// The webhook body: the title as `content`, one embed, no mentions allowed. `username` is used
    /// only when Discord would accept it (not blank, not containing "discord" or "clyde").
    public static func payload(for notification: NotificationMessage, username: String?) -> DiscordWebhookPayload {
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
    public static func color(_ direction: NotificationMessage.Direction) -> Int {
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

    static func defaultSummary(_ notification: NotificationMessage) -> String {
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
