import Foundation
import Testing
import TradingDomain

@Suite("Discord webhook settings")
struct DiscordSettingsTests {
    static let token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQrStUvWxYz0123"

    @Test("accepts Discord webhook URLs on every Discord host, with or without an API version", arguments: [
        "https://discord.com/api/webhooks/123456789012345678/\(token)",
        "https://discordapp.com/api/webhooks/123456789012345678/\(token)",
        "https://canary.discord.com/api/webhooks/123456789012345678/\(token)",
        "https://ptb.discord.com/api/v10/webhooks/123456789012345678/\(token)",
        "https://DISCORD.com/api/v9/webhooks/12345678901234567/\(token)",
    ])
    func accepts(url: String) throws {
        #expect(try DiscordWebhookURL.validate(url) == url)
    }

    @Test("refuses everything else", arguments: [
        "http://discord.com/api/webhooks/123456789012345678/\(token)",
        "https://evil.com/api/webhooks/123456789012345678/\(token)",
        "https://discord.com.evil.com/api/webhooks/123456789012345678/\(token)",
        "https://discord.com@evil.com/api/webhooks/123456789012345678/\(token)",
        "https://user:pass@discord.com/api/webhooks/123456789012345678/\(token)",
        "https://162.159.128.233/api/webhooks/123456789012345678/\(token)",
        "https://[::1]/api/webhooks/123456789012345678/\(token)",
        "https://discord.com:8443/api/webhooks/123456789012345678/\(token)",
        "https://discord.com/api/webhooks/123456789012345678/\(token)/github",
        "https://discord.com/api/webhooks/123456789012345678/\(token)?wait=true",
        "https://discord.com/api/webhooks/123456789012345678/\(token)#x",
        "https://discord.com/api/webhooks/abc/\(token)",
        "https://discord.com/webhooks/123456789012345678/\(token)",
        "https://discord.com/api/webhooks/123456789012345678/",
        "https://discord.com/api/webhooks/123456789012345678/to ken",
        "javascript:alert(1)",
        "",
    ])
    func refuses(url: String) {
        #expect(throws: ValidationFailure.self) { try DiscordWebhookURL.validate(url) }
    }

    @Test("the token is masked for display")
    func masking() {
        #expect(DiscordWebhookURL.masked("https://discord.com/api/webhooks/123456789012345678/\(Self.token)")
            == "https://discord.com/api/webhooks/123456789012345678/****")
        var settings = AppSettings()
        settings.discord.webhookURL = "https://discord.com/api/webhooks/123456789012345678/\(Self.token)"
        #expect(!"\(settings.masked)".contains(Self.token))
    }
}
