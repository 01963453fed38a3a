import Foundation
import Testing
import Discord
import TradingDomain

/// Bodies of shared/contracts/fixtures/discord/*.json, copied verbatim (this target has no resources).
enum DiscordFixtures {
    static let emptyMessage = #"{"message": "Cannot send an empty message", "code": 50006}"#
    static let invalidFormBodyLegacy = #"{"content": ["Must be 2000 or fewer in length."]}"#
    static let invalidFormBodyV8 = #"{"code":50035,"errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 2000 or fewer in length."}]}},"message":"Invalid Form Body"}"#
    static let invalidToken = #"{"message": "Invalid Webhook Token", "code": 50027}"#
    static let unknownWebhook = #"{"message": "Unknown Webhook", "code": 10015}"#
    static let rateLimited = #"{"message": "You are being rate limited.", "retry_after": 64.57, "global": false}"#
}

@Suite("Discord delivery outcomes")
struct DiscordDeliveryTests {
    static func classify(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> DiscordDeliveryOutcome {
        DiscordDeliveryOutcome.classify(status: status, headers: headers, body: Data(body.utf8))
    }

    @Test("every fixture with its status")
    func fixtures() {
        #expect(Self.classify(400, DiscordFixtures.emptyMessage) == .rejected(reason: "HTTP 400: Cannot send an empty message (code 50006)"))
        #expect(Self.classify(400, DiscordFixtures.invalidFormBodyLegacy) == .rejected(reason: "content: Must be 2000 or fewer in length."))
        #expect(Self.classify(400, DiscordFixtures.invalidFormBodyV8) == .rejected(reason: "content: Must be 2000 or fewer in length."))
        #expect(Self.classify(401, DiscordFixtures.invalidToken) == .gone(code: 50027, message: "Invalid Webhook Token"))
        #expect(Self.classify(404, DiscordFixtures.unknownWebhook) == .gone(code: 10015, message: "Unknown Webhook"))
        #expect(Self.classify(429, DiscordFixtures.rateLimited, headers: ["retry-after": "65", "x-ratelimit-scope": "user"])
            == .rateLimited(retryAfter: 64.57, global: false, scope: "user"))
    }

    @Test("success: 204 empty, 200 with the message id")
    func success() {
        #expect(Self.classify(204) == .delivered(messageID: nil))
        #expect(Self.classify(200, #"{"id":"1300000000000000001","channel_id":"2233","embeds":[]}"#) == .delivered(messageID: "1300000000000000001"))
        #expect(Self.classify(200, "not json") == .delivered(messageID: nil))
        #expect(!DiscordDeliveryOutcome.delivered(messageID: nil).isRetryable)
    }

    @Test("429: body retry_after before Retry-After before X-RateLimit-Reset-After")
    func rateLimitPrecedence() {
        let all = ["retry-after": "7", "x-ratelimit-reset-after": "3.5"]
        #expect(Self.classify(429, #"{"retry_after": 0.25, "global": false}"#, headers: all) == .rateLimited(retryAfter: 0.25, global: false, scope: nil))
        #expect(Self.classify(429, "<html>slow down</html>", headers: all) == .rateLimited(retryAfter: 7, global: false, scope: nil))
        #expect(Self.classify(429, "", headers: ["x-ratelimit-reset-after": "3.5"]) == .rateLimited(retryAfter: 3.5, global: false, scope: nil))
        #expect(Self.classify(429, #"{"message":"x","retry_after":"soon"}"#, headers: ["retry-after": "2"]) == .rateLimited(retryAfter: 2, global: false, scope: nil))
        guard case .retry(let reason) = Self.classify(429, "<html>banned</html>") else {
            Issue.record("a 429 with no wait time is a plain retry")
            return
        }
        #expect(reason.contains("banned"))
        #expect(Self.classify(429, "", headers: ["retry-after": "-1"]).isRetryable)
    }

    @Test("429 global from the body or the header, scope from the header")
    func global() {
        #expect(Self.classify(429, #"{"message": "You are being rate limited.", "retry_after": 64.57, "global": true}"#,
                              headers: ["x-ratelimit-global": "true", "x-ratelimit-scope": "global"])
            == .rateLimited(retryAfter: 64.57, global: true, scope: "global"))
        #expect(Self.classify(429, "", headers: ["retry-after": "1", "x-ratelimit-global": "true"]) == .rateLimited(retryAfter: 1, global: true, scope: nil))
        #expect(Self.classify(429, #"{"message": "The resource is being rate limited.", "retry_after": 1.5, "global": false}"#,
                              headers: ["x-ratelimit-scope": "shared"]) == .rateLimited(retryAfter: 1.5, global: false, scope: "shared"))
    }

    @Test("401, 403 and 404 mean the webhook is gone, with or without a JSON body")
    func gone() {
        #expect(Self.classify(403, #"{"message": "Missing Access", "code": 50001}"#) == .gone(code: 50001, message: "Missing Access"))
        #expect(Self.classify(404, "<html>404</html>") == .gone(code: nil, message: "HTTP 404"))
        #expect(!Self.classify(404, DiscordFixtures.unknownWebhook).isRetryable)
    }

    @Test("5xx, 408 and unexpected statuses are retried")
    func retry() {
        #expect(Self.classify(502, "") == .retry(reason: "HTTP 502"))
        #expect(Self.classify(500, #"{"message": "Internal Server Error", "code": 0}"#) == .retry(reason: "HTTP 500: Internal Server Error (code 0)"))
        #expect(Self.classify(503, "upstream connect error") == .retry(reason: "HTTP 503: upstream connect error"))
        #expect(Self.classify(408, "").isRetryable)
        #expect(Self.classify(302, "").isRetryable)
    }

    @Test("400 nested v8 errors and legacy embed errors read as paths")
    func nestedErrors() {
        let v8 = #"{"code":50035,"message":"Invalid Form Body","errors":{"embeds":{"10":{"title":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 256 or fewer in length."}]}},"0":{"description":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 4096 or fewer in length."}]},"fields":{"2":{"value":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}}}}},"username":{"_errors":[{"code":"USERNAME_INVALID_CONTAINS","message":"Username cannot contain \"discord\""}]}}}"#
        #expect(Self.classify(400, v8) == .rejected(reason: [
            "embeds.0.description: Must be 4096 or fewer in length.",
            "embeds.0.fields.2.value: This field is required",
            "embeds.10.title: Must be 256 or fewer in length.",
            "username: Username cannot contain \"discord\"",
        ].joined(separator: "; ")))
        #expect(Self.classify(400, #"{"embeds": ["0"]}"#) == .rejected(reason: "embeds.0: is invalid"))
        #expect(Self.classify(400, #"{"embeds": [{"description": ["Must be 4096 or fewer in length."]}]}"#)
            == .rejected(reason: "embeds.0.description: Must be 4096 or fewer in length."))
        #expect(Self.classify(413, #"{"message": "Request entity too large", "code": 40005}"#)
            == .rejected(reason: "HTTP 413: Request entity too large (code 40005)"))
        #expect(Self.classify(400, "") == .rejected(reason: "HTTP 400"))
    }

    @Test("rate-limit headers tell when to pause")
    func headers() {
        let empty = DiscordRateLimitHeaders(headers: [
            "x-ratelimit-limit": "5", "x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "0.75", "x-ratelimit-bucket": "abcd1234",
        ])
        #expect(empty.limit == 5 && empty.remaining == 0 && empty.resetAfter == 0.75 && empty.bucket == "abcd1234")
        #expect(empty.waitBeforeNextRequest == 0.75)
        #expect(DiscordRateLimitHeaders(headers: ["x-ratelimit-remaining": "3", "x-ratelimit-reset-after": "1"]).waitBeforeNextRequest == nil)
        let none = DiscordRateLimitHeaders(headers: ["x-ratelimit-remaining": "many", "x-ratelimit-reset-after": "later"])
        #expect(none.remaining == nil && none.resetAfter == nil && none.waitBeforeNextRequest == nil)
    }
}
