import Foundation
import TradingEngine

/// Maps Polygon/Massive HTTP answers to what the caller should do next (docs/architecture.md, "Errors and retries";
/// docs/vendors.md §1.6).
///
/// | HTTP | result |
/// |---|---|
/// | 2xx, body JSON with `status` `OK`/`DELAYED` or none | nil (parse it) |
/// | 2xx, body not JSON | `.malformed` |
/// | 2xx, `status` `NOT_AUTHORIZED`/`ERROR`/other, or an `error` field | by text (below), else `.unavailable` |
/// | 401, 403 | `.unauthorized(message ?? error ?? "HTTP 401")` |
/// | 429 | `.rateLimited(Retry-After seconds, nil if absent)` |
/// | 408, 413, 499, 5xx (often nginx HTML) | `.unavailable("HTTP 504: <title>")` |
/// | other 4xx (400, 404 …), 1xx, 3xx | by text (below), else `.malformed("HTTP 404: …")` — retrying will not help |
///
/// By text (any status): `NOT_AUTHORIZED`, or text mentioning "API Key", "not authorized" or
/// "not entitled" → `.unauthorized`; "exceeded the maximum requests" → `.rateLimited(nil)`.
public enum PolygonErrors {
    public static func classify(status: Int, headers: [String: String], body: Data) -> MarketDataError? {
        classify(status: status, header: { name in
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }, body: body)
    }

    /// `header` looks up a response header by name (case-insensitively, as HTTP requires).
    public static func classify(status: Int, header: (String) -> String?, body: Data) -> MarketDataError? {
        let envelope = try? JSONDecoder().decode(EnvelopeDTO.self, from: body)
        switch status {
        case 200..<300:
            guard let envelope else { return .malformed("HTTP \(status): body is not JSON") }
            return bodyError(envelope)
        case 401, 403:
            return .unauthorized(detail(envelope, body) ?? "HTTP \(status)")
        case 429:
            return .rateLimited(retryAfter: retryAfter(header("Retry-After")))
        case 408, 413, 499, 500..<600:
            return .unavailable("HTTP \(status)" + (detail(envelope, body).map { ": \($0)" } ?? ""))
        default:
            if let envelope, let known = knownError(envelope) { return known }
            return .malformed("HTTP \(status)" + (detail(envelope, body).map { ": \($0)" } ?? ""))
        }
    }

    /// The error a 2xx body reports in its `status`/`error` fields, or nil for a success.
    static func bodyError(_ envelope: EnvelopeDTO) -> MarketDataError? {
        let status = envelope.status?.uppercased()
        if status == "OK" || status == "DELAYED" { return nil }
        guard status != nil || envelope.error != nil else { return nil }
        return knownError(envelope) ?? .unavailable(envelope.error ?? envelope.message ?? status ?? "error")
    }

    /// Throws the body's error, if any: every REST parse function calls this first.
    static func check(status: String?, error: String?, message: String?) throws(MarketDataError) {
        if let failure = bodyError(EnvelopeDTO(status: status, error: error, message: message)) { throw failure }
    }

    private static func knownError(_ envelope: EnvelopeDTO) -> MarketDataError? {
        let text = envelope.error ?? envelope.message ?? envelope.status ?? ""
        let lowered = text.lowercased()
        if lowered.contains("exceeded the maximum requests") {
            return .rateLimited(retryAfter: nil)
        }
        if envelope.status?.uppercased() == "NOT_AUTHORIZED" || lowered.contains("api key")
            || lowered.contains("not authorized") || lowered.contains("not entitled") {
            return .unauthorized(text)
        }
        return nil
    }

    /// Error text for a message: JSON `message`/`error`, else an HTML `<title>`, else the start of
    /// the body; nil when the body is empty.
    private static func detail(_ envelope: EnvelopeDTO?, _ body: Data) -> String? {
        if let text = envelope?.message ?? envelope?.error, !text.isEmpty { return text }
        let text = String(decoding: body.prefix(2_048), as: UTF8.self)
        if let open = text.range(of: "<title>", options: .caseInsensitive),
           let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) {
            return String(text[open.upperBound..<close.lowerBound]).trimmingWhitespace()
        }
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : String(trimmed.prefix(200))
    }

    /// `Retry-After` in (possibly fractional) seconds. An HTTP-date or a negative value gives nil.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Int64(text), seconds >= 0 { return .seconds(seconds) }
        if let seconds = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), seconds >= 0,
           text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            let milliseconds = NSDecimalNumber(decimal: (seconds * 1_000).rounded(scale: 0)).int64Value
            return .milliseconds(milliseconds)
        }
        return nil
    }
}
