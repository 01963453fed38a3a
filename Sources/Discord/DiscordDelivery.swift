import Foundation
import TradingDomain

/// What a webhook answer means for the sender (docs/vendors.md §3.3–3.5). Durations are seconds.
public enum DiscordDeliveryOutcome: Sendable, Hashable {
    /// 2xx: sent. `messageID` is the created message's id when `?wait=true` returned it (nil for 204).
    case delivered(messageID: String?)
    /// 429: wait `retryAfter` seconds before sending again (to any webhook when `global`).
    /// `scope` is `X-RateLimit-Scope` (`user`, `global` or `shared`) when given.
    case rateLimited(retryAfter: TimeInterval, global: Bool, scope: String?)
    /// 401, 403 or 404: the webhook was deleted or its token is wrong (10015 Unknown Webhook, 50027
    /// Invalid Webhook Token). Stop using it: repeated attempts get the sender restricted.
    case gone(code: Int?, message: String)
    /// 400 or 413: Discord refused this body; sending it again cannot succeed.
    case rejected(reason: String)
    /// 5xx, 408, an unexpected status, or a 429 without any wait time: try again after a backoff.
    case retry(reason: String)

    /// True when sending the same body again later may succeed.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .retry: true
        case .delivered, .gone, .rejected: false
        }
    }

    /// Classifies one webhook response. `headers` must have lower-cased names.
    public static func classify(status: Int, headers: [String: String], body: Data) -> DiscordDeliveryOutcome {
        let json = (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) as? [String: Any]
        let message = json?["message"] as? String
        let code = (json?["code"] as? NSNumber)?.intValue
        switch status {
        case 200..<300:
            return .delivered(messageID: json?["id"] as? String)
        case 429:
            let retryAfter = seconds(json?["retry_after"]) ?? seconds(headers["retry-after"])
                ?? seconds(headers["x-ratelimit-reset-after"])
            guard let retryAfter else { return .retry(reason: "HTTP 429 without a retry time: \(describe(message, code, body))") }
            let global = (json?["global"] as? Bool) ?? (headers["x-ratelimit-global"]?.lowercased() == "true")
            return .rateLimited(retryAfter: retryAfter, global: global, scope: headers["x-ratelimit-scope"])
        case 401, 403, 404:
            return .gone(code: code, message: message ?? "HTTP \(status)")
        case 400, 413:
            let errors = json.map(validationErrors) ?? []
            return .rejected(reason: errors.isEmpty ? describe(message, code, body, status: status) : errors.joined(separator: "; "))
        default:
            return .retry(reason: describe(message, code, body, status: status))
        }
    }

    /// The validation messages of a 400 body as `path: message`, in both formats: v8+
    /// (`{"code":50035,"errors":{"embeds":{"0":{"description":{"_errors":[{"message":…}]}}}}}`) and
    /// legacy (`{"content":["Must be 2000 or fewer in length."]}`, `{"embeds":["0"]}`).
    public static func validationErrors(_ json: [String: Any]) -> [String] {
        if let errors = json["errors"] as? [String: Any] { return flatten(errors, path: "") }
        guard json["code"] == nil, json["message"] == nil else { return [] }
        return flatten(json, path: "")
    }

    private static func flatten(_ value: Any, path: String) -> [String] {
        func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        func label(_ text: String) -> String { path.isEmpty ? text : "\(path): \(text)" }
        switch value {
        case let object as [String: Any]:
            var lines: [String] = []
            if let leaves = object["_errors"] as? [[String: Any]] {
                lines += leaves.map { label(($0["message"] as? String) ?? ($0["code"] as? String) ?? "invalid") }
            }
            for key in object.keys.sorted(by: keyOrder) where key != "_errors" {
                lines += flatten(object[key] ?? NSNull(), path: join(key))
            }
            return lines
        case let array as [Any]:
            return array.enumerated().flatMap { index, item -> [String] in
                guard let text = item as? String else { return flatten(item, path: join(String(index))) }
                // Legacy embed errors list the bad indexes: {"embeds": ["0"]}.
                if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return ["\(join(text)): is invalid"] }
                return [label(text)]
            }
        case let text as String:
            return [label(text)]
        default:
            return []
        }
    }

    /// Object keys in order, array-index keys ("0", "10") by number.
    private static func keyOrder(_ lhs: String, _ rhs: String) -> Bool {
        if let left = Int(lhs), let right = Int(rhs) { return left < right }
        return lhs < rhs
    }

    private static func describe(_ message: String?, _ code: Int?, _ body: Data, status: Int? = nil) -> String {
        var text = message ?? String(String(decoding: body.prefix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        if let code { text += " (code \(code))" }
        guard let status else { return text }
        return text.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(text)"
    }

    /// A finite, non-negative number of seconds from a JSON number or a header string.
    static func seconds(_ value: Any?) -> TimeInterval? {
        let number: Double? = switch value {
        case let number as NSNumber: number.doubleValue
        case let text as String: Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
        guard let number, number.isFinite, number >= 0 else { return nil }
        return number
    }
}

/// Shorthand for `DiscordDeliveryOutcome.classify`.
public enum DiscordDelivery {
    /// Classifies one webhook response (see `DiscordDeliveryOutcome.classify`); lower-cased header names.
    public static func classify(status: Int, headers: [String: String], body: Data) -> DiscordDeliveryOutcome {
        DiscordDeliveryOutcome.classify(status: status, headers: headers, body: body)
    }
}

/// Discord's per-route rate-limit headers on an ordinary response, so a sender can pause before
/// the next request to the same webhook when the bucket is empty.
public struct DiscordRateLimitHeaders: Sendable, Hashable {
    /// `X-RateLimit-Limit`: requests allowed per window.
    public var limit: Int?
    /// `X-RateLimit-Remaining`: requests left in the current window.
    public var remaining: Int?
    /// `X-RateLimit-Reset-After`: seconds (may be fractional) until the window resets.
    public var resetAfter: TimeInterval?
    /// `X-RateLimit-Bucket`: the bucket id shared by routes with one limit.
    public var bucket: String?

    /// Reads the headers; `headers` must have lower-cased names. Unparseable values are nil.
    public init(headers: [String: String]) {
        limit = headers["x-ratelimit-limit"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        remaining = headers["x-ratelimit-remaining"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        resetAfter = DiscordDeliveryOutcome.seconds(headers["x-ratelimit-reset-after"])
        bucket = headers["x-ratelimit-bucket"]
    }

    /// Seconds to wait before the next request to this webhook: `resetAfter` when no request is
    /// left in the window, otherwise nil (send at once).
    public var waitBeforeNextRequest: TimeInterval? {
        guard remaining == 0 else { return nil }
        return resetAfter ?? 1
    }
}
