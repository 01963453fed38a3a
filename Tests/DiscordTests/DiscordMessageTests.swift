import Foundation
import Testing
import Discord
import TradingDomain

@Suite("Discord message building")
struct DiscordMessageTests {
    static let firedAt = Date(timeIntervalSince1970: 1_795_707_065) // 2026-11-26T15:31:05Z

    static func firing(
        type: AlertType = .priceAbove, threshold: String = "190.5", level: String = "190.5", price: String = "190.52",
        side: AlertSide = .above, note: String = "", time: Date = firedAt
    ) -> AlertFiring {
        let symbol = Symbol(trusted: "AAPL")
        let rule = AlertRule(
            id: UUID(), symbol: symbol, type: type, threshold: Decimal(string: threshold) ?? 0, note: note,
            status: .triggered, createdAt: time, updatedAt: time, lastFiredAt: time, fireCount: 1)
        return AlertFiring(
            alertID: rule.id, sequence: 1, symbol: symbol, type: type, threshold: Decimal(string: threshold) ?? 0,
            level: Decimal(string: level) ?? 0, side: side, price: Decimal(string: price) ?? 0, time: time,
            source: .stream, rule: rule)
    }

    static func field(_ embed: DiscordEmbed, _ name: String) -> String? {
        embed.fields.first { $0.name == name }?.value
    }

    /// Every documented limit, checked on the built payload.
    static func expectWithinLimits(_ payload: DiscordWebhookPayload) throws {
        typealias Limit = DiscordMessageBuilder.Limit
        #expect(DiscordText.length(payload.content ?? "") <= Limit.content)
        #expect(DiscordText.length(payload.username ?? "") <= Limit.username)
        let embed = try #require(payload.embeds.first)
        #expect(payload.embeds.count == 1)
        #expect(DiscordText.length(embed.title ?? "") <= Limit.title)
        #expect(DiscordText.length(embed.description ?? "") <= Limit.description)
        #expect(embed.fields.count <= Limit.fields)
        for field in embed.fields {
            #expect(DiscordText.length(field.name) <= Limit.fieldName && !field.name.isEmpty)
            #expect(DiscordText.length(field.value) <= Limit.fieldValue && !field.value.isEmpty)
        }
        #expect(DiscordText.length(embed.footer?.text ?? "") <= Limit.footer)
        #expect(embed.textLength <= Limit.embedTotal)
    }

    @Test("an alert firing becomes one embed with symbol, type, threshold, price and New York time")
    func alertFields() throws {
        let notification = NotificationMessage.alert(Self.firing(note: "  breakout watch  "))
        #expect(notification.kind == .alert && notification.type == "price_above" && notification.direction == .up)
        #expect(notification.note == "breakout watch")
        let payload = DiscordMessageBuilder.payload(for: notification, username: "Trading Bot")
        let embed = try #require(payload.embeds.first)
        #expect(embed.fields.map(\.name) == ["Symbol", "Type", "Threshold", "Price", "Time"])
        #expect(Self.field(embed, "Symbol") == "AAPL")
        #expect(Self.field(embed, "Type") == "Price above")
        #expect(Self.field(embed, "Threshold") == "190.5")
        #expect(Self.field(embed, "Price") == "190.52")
        #expect(Self.field(embed, "Time") == "2026-11-26 10:31:05 EST")
        #expect(embed.title == "AAPL at or above 190.5")
        #expect(embed.description?.hasSuffix("\n\nNote: breakout watch") == true)
        #expect(embed.timestamp == "2026-11-26T15:31:05.000Z")
        #expect(embed.footer?.text == "Trading Assistant")
        #expect(payload.content == "AAPL at or above 190.5")
        #expect(payload.username == "Trading Bot")
        #expect(NotificationMessage.alert(Self.firing(note: " \n ")).note == nil)
    }

    @Test("New York time follows daylight saving", arguments: [
        (Int64(1_782_914_400), "2026-07-01 10:00:00 EDT"),
        (Int64(1_772_953_199), "2026-03-08 01:59:59 EST"),
        (Int64(1_772_953_200), "2026-03-08 03:00:00 EDT"),
        (Int64(1_793_512_800), "2026-11-01 01:00:00 EST"),
    ])
    func newYorkTime(seconds: Int64, expected: String) {
        #expect(DiscordMessageBuilder.newYorkTime(Date(timeIntervalSince1970: TimeInterval(seconds))) == expected)
    }

    @Test("colour follows direction: green up, red down, grey neutral")
    func colours() throws {
        let up = DiscordMessageBuilder.payload(for: .alert(Self.firing(side: .above)), username: nil)
        let down = DiscordMessageBuilder.payload(
            for: .alert(Self.firing(type: .priceBelow, threshold: "180", level: "180", price: "179.9", side: .below)), username: nil)
        let neutral = DiscordMessageBuilder.payload(for: .alert(Self.firing(side: .unknown)), username: nil)
        #expect(up.embeds.first?.color == 0x2ECC71)
        #expect(down.embeds.first?.color == 0xE74C3C)
        #expect(neutral.embeds.first?.color == 0x95A5A6)
    }

    @Test("percent change shows the percent threshold and the computed level; decimals stay exact")
    func percentAndDecimals() throws {
        let firing = Self.firing(
            type: .percentChange, threshold: "2.125", level: "204.0004250000000000001", price: "204.00042500000000000011", side: .above)
        let embed = try #require(DiscordMessageBuilder.payload(for: .alert(firing), username: nil).embeds.first)
        #expect(Self.field(embed, "Threshold") == "2.125%")
        #expect(Self.field(embed, "Level") == "204.0004250000000000001")
        #expect(Self.field(embed, "Price") == "204.00042500000000000011")
        #expect(embed.title == "AAPL moved +2.125% from the previous close")
    }

    @Test("a risk breach lists reason, limit and value")
    func risk() throws {
        let notification = NotificationMessage.risk(
            title: "Daily loss limit reached", reason: "Realized loss today exceeds max_daily_loss", limit: 2000,
            value: Decimal(string: "2150.75"), time: Self.firedAt)
        let payload = DiscordMessageBuilder.payload(for: notification, username: nil)
        let embed = try #require(payload.embeds.first)
        #expect(embed.fields.map(\.name) == ["Type", "Time", "Reason", "Limit", "Value"])
        #expect(Self.field(embed, "Type") == "Risk limit")
        #expect(Self.field(embed, "Limit") == "2000" && Self.field(embed, "Value") == "2150.75")
        #expect(embed.color == 0xE74C3C)
        #expect(embed.description == "Realized loss today exceeds max_daily_loss")
    }

    @Test("a huge note, title and detail list stay within every limit, total ≤ 6000")
    func hugeInput() throws {
        let details = (1...40).map { _ in NotificationMessage.Detail(name: String(repeating: "n", count: 300), value: String(repeating: "v", count: 2000)) }
        let notification = NotificationMessage(
            kind: .risk, symbol: "AAPL", type: "risk", title: String(repeating: "T", count: 3000), time: Self.firedAt,
            note: String(repeating: "note ", count: 5000), details: details)
        let payload = DiscordMessageBuilder.payload(for: notification, username: String(repeating: "u", count: 200))
        try Self.expectWithinLimits(payload)
        #expect(payload.username?.count == 80 && payload.username?.hasSuffix("…") == true)
        #expect(payload.content?.count == 2000)
        let embed = try #require(payload.embeds.first)
        #expect(embed.title?.count == 256 && embed.title?.hasSuffix("…") == true)
        #expect(embed.fields.count == 25)
        #expect(embed.fields.first?.value == "AAPL")
    }

    @Test("truncation never splits a grapheme cluster")
    func graphemes() throws {
        let family = "👨‍👩‍👧‍👦" // 7 scalars, 11 UTF-16 units, 1 character
        let note = String(repeating: family + "🇺🇸", count: 2000)
        var firing = Self.firing(note: note)
        firing.rule.note = note
        let payload = DiscordMessageBuilder.payload(for: .alert(firing), username: nil)
        try Self.expectWithinLimits(payload)
        let description = try #require(payload.embeds.first?.description)
        #expect(description.hasSuffix("…"))
        let tail = description.dropLast().split(separator: " ").last.map(String.init) ?? ""
        #expect(tail.allSatisfy { $0 == Character(family) || $0 == Character("🇺🇸") })
        #expect(DiscordText.truncate(family + family, to: 12) == family + "…")
        #expect(DiscordText.truncate(family, to: 5) == "…")
        #expect(DiscordText.truncate("  padded  ", to: 10) == "padded")
    }

    @Test("usernames Discord refuses are dropped", arguments: [
        ("Discord Alerts", nil), ("my CLYDE bot", nil), ("   ", nil), ("", nil), ("Trading Bot", "Trading Bot"),
    ] as [(String, String?)])
    func usernames(input: String, expected: String?) {
        #expect(DiscordMessageBuilder.acceptableUsername(input) == expected)
        #expect(DiscordMessageBuilder.payload(for: .alert(Self.firing()), username: input).username == expected)
    }

    @Test("JSON has Discord's keys, sorted, and allowed_mentions that pings nobody")
    func json() throws {
        var firing = Self.firing()
        firing.rule.note = "@everyone <@123456789012345678> look"
        let data = try DiscordMessageBuilder.payload(for: .alert(firing), username: nil).jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""allowed_mentions":{"parse":[]}"#))
        #expect(text.hasPrefix(#"{"allowed_mentions""#))
        #expect(!text.contains("username"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["allowed_mentions", "content", "embeds"])
        let embed = try #require((object["embeds"] as? [[String: Any]])?.first)
        #expect(Set(embed.keys) == ["title", "description", "color", "timestamp", "fields", "footer"])
        #expect((embed["description"] as? String)?.contains("@everyone") == true)
        #expect(text.contains(#""value":"190.52""#))
    }
}

@Suite("Discord test message")
struct DiscordTestMessageTests {
    @Test("the test message is grey, has no symbol and stays valid")
    func testMessage() throws {
        let payload = DiscordMessageBuilder.payload(for: .test(at: DiscordMessageTests.firedAt), username: "Bot")
        let embed = try #require(payload.embeds.first)
        #expect(embed.color == DiscordMessageBuilder.colorNeutral)
        #expect(embed.fields.map(\.name) == ["Type", "Time"])
        #expect(embed.fields.first?.value == "Test")
        #expect(payload.content == "Test message from Trading Assistant")
        #expect(DiscordDelivery.classify(status: 204, headers: [:], body: Data()) == .delivered(messageID: nil))
        #expect(throws: Never.self) { try DiscordWebhookURL.validate("https://discord.com/api/webhooks/112233445566778899/fAkE-ToKeN_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU") }
    }
}
