import Foundation

/// Where and what to forward to Discord. The webhook URL holds a secret token: it is stored as
/// given, but every read through the API shows it masked (`DiscordWebhookURL.masked`).
public struct DiscordSettings: Sendable, Hashable, Codable {
    /// Alert types that may be forwarded: every alert type, and `risk` for risk breaches.
    public static let forwardableTypes = ["price_above", "price_below", "price_cross", "percent_change", "risk"]

    public var webhookURL: String?
    public var enabled: Bool
    public var alertTypes: [String]
    public var username: String?
    /// Why forwarding was switched off by the server (e.g. Discord said the webhook no longer
    /// exists). Read-only for users; cleared when they set a new URL or enable forwarding again.
    public var disabledReason: String?

    public init(
        webhookURL: String? = nil, enabled: Bool = false, alertTypes: [String] = ["price_above", "price_below", "risk"],
        username: String? = nil, disabledReason: String? = nil
    ) {
        self.webhookURL = webhookURL
        self.enabled = enabled
        self.alertTypes = alertTypes
        self.username = username
        self.disabledReason = disabledReason
    }

    /// True when a notification of this type (`price_above`, …, `risk`) should be forwarded now.
    public func forwards(_ type: String) -> Bool {
        enabled && webhookURL != nil && alertTypes.contains(type)
    }

    enum CodingKeys: String, CodingKey {
        case webhookURL = "webhook_url"
        case enabled
        case alertTypes = "alert_types"
        case username
        case disabledReason = "disabled_reason"
    }

    public init(from decoder: any Decoder) throws {
        let defaults = DiscordSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        webhookURL = try container.decodeIfPresent(String.self, forKey: .webhookURL)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled
        alertTypes = try container.decodeIfPresent([String].self, forKey: .alertTypes) ?? defaults.alertTypes
        username = try container.decodeIfPresent(String.self, forKey: .username)
        disabledReason = try container.decodeIfPresent(String.self, forKey: .disabledReason)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(webhookURL, forKey: .webhookURL)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(alertTypes, forKey: .alertTypes)
        try container.encode(username, forKey: .username)
        try container.encode(disabledReason, forKey: .disabledReason)
    }

    /// The same settings with the webhook token masked, for showing to anyone.
    public var masked: DiscordSettings {
        var copy = self
        copy.webhookURL = webhookURL.map(DiscordWebhookURL.masked)
        return copy
    }
}

/// Accepts only https Discord webhook URLs: `discord.com`, `discordapp.com` and their `canary.` and
/// `ptb.` hosts, path `/api[/vN]/webhooks/{id}/{token}`, nothing else (no other host, no http, no
/// IP literal, no user info, no port, no extra path, query or fragment).
public enum DiscordWebhookURL {
    static let hosts: Set<String> = [
        "discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com", "canary.discordapp.com", "ptb.discordapp.com",
    ]

    public static func validate(_ text: String, field: String = "discord.webhook_url") throws(ValidationFailure) -> String {
        let reason = "must be an https Discord webhook URL like https://discord.com/api/webhooks/{id}/{token}"
        guard text.count <= 512, !text.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: text),
              components.scheme?.lowercased() == "https",
              let host = components.host?.lowercased(), hosts.contains(host),
              components.user == nil, components.password == nil, components.port == nil,
              components.query == nil, components.fragment == nil,
              text.lowercased().hasPrefix("https://\(host)/")
        else { throw ValidationFailure(field: field, message: reason) }
        var parts = components.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard parts.first == "api" else { throw ValidationFailure(field: field, message: reason) }
        parts.removeFirst()
        if let version = parts.first, version.hasPrefix("v"), Int(version.dropFirst()) != nil { parts.removeFirst() }
        guard parts.count == 3, parts[0] == "webhooks",
              (17...20).contains(parts[1].count), parts[1].allSatisfy(\.isASCIIDigitCharacter),
              (1...128).contains(parts[2].count),
              parts[2].unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") })
        else { throw ValidationFailure(field: field, message: reason) }
        return text
    }

    /// The URL with its token replaced, e.g. `https://discord.com/api/webhooks/1234…/****`.
    public static func masked(_ text: String) -> String {
        guard let slash = text.lastIndex(of: "/") else { return "****" }
        return String(text[...slash]) + "****"
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
