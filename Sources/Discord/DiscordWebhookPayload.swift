import Foundation
import TradingDomain

/// The JSON body of a webhook execution (`POST /api/webhooks/{id}/{token}`), keys as Discord names them.
public struct DiscordWebhookPayload: Sendable, Hashable, Codable {
    public var content: String?
    public var username: String?
    public var embeds: [DiscordEmbed]
    public var allowedMentions: DiscordAllowedMentions

    public init(content: String?, username: String?, embeds: [DiscordEmbed], allowedMentions: DiscordAllowedMentions = .nobody) {
        self.content = content
        self.username = username
        self.embeds = embeds
        self.allowedMentions = allowedMentions
    }

    enum CodingKeys: String, CodingKey {
        case content, username, embeds, allowedMentions = "allowed_mentions"
    }

    /// The body as compact JSON with sorted keys (absent optionals are omitted).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Which mentions may ping. `.nobody` (`{"parse":[]}`) keeps `@everyone` or `<@id>` in a note inert.
public struct DiscordAllowedMentions: Sendable, Hashable, Codable {
    public var parse: [String]
    public init(parse: [String]) { self.parse = parse }
    public static let nobody = DiscordAllowedMentions(parse: [])
}

/// One rich embed (Discord's embed object, the fields we use).
public struct DiscordEmbed: Sendable, Hashable, Codable {
    public var title: String?
    public var description: String?
    /// RGB as an integer (`0x2ECC71`).
    public var color: Int?
    /// ISO-8601 UTC (`2026-11-26T15:31:05.000Z`).
    public var timestamp: String?
    public var fields: [DiscordEmbedField]
    public var footer: DiscordEmbedFooter?

    public init(
        title: String?, description: String?, color: Int?, timestamp: String?, fields: [DiscordEmbedField],
        footer: DiscordEmbedFooter?
    ) {
        self.title = title
        self.description = description
        self.color = color
        self.timestamp = timestamp
        self.fields = fields
        self.footer = footer
    }

    /// The text Discord counts against the 6000 limit (title, description, field names and values,
    /// footer), in UTF-16 units after trimming, as `DiscordText.length` measures it.
    public var textLength: Int {
        [title, description, footer?.text].compactMap { $0 }.map(DiscordText.length).reduce(0, +)
            + fields.map { DiscordText.length($0.name) + DiscordText.length($0.value) }.reduce(0, +)
    }
}

/// One embed field.
public struct DiscordEmbedField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public var inline: Bool

    public init(name: String, value: String, inline: Bool) {
        self.name = name
        self.value = value
        self.inline = inline
    }
}

/// An embed footer.
public struct DiscordEmbedFooter: Sendable, Hashable, Codable {
    public var text: String
    public init(text: String) { self.text = text }
}

/// Discord's text limits and safe truncation.
public enum DiscordText {
    /// Length as Discord limits it. Measured in UTF-16 units after trimming whitespace: never less
    /// than the count of code points or of characters, so text within it is within any of them.
    public static func length(_ text: String) -> Int {
        text.trimmingCharacters(in: .whitespacesAndNewlines).utf16.count
    }

    /// `text` trimmed and, when longer than `limit`, cut at a character (grapheme cluster) boundary
    /// with "…" appended, so the result's `length` is at most `limit`.
    public static func truncate(_ text: String, to limit: Int) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf16.count > limit else { return trimmed }
        guard limit > 1 else { return limit == 1 ? "…" : "" }
        var result = ""
        var used = 0
        for character in trimmed {
            let size = character.utf16.count
            if used + size > limit - 1 { break }
            result.append(character)
            used += size
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines) + "…"
    }
}
