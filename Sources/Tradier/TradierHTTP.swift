import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TradingEngine
import Synchronization

/// Tradier's rate-limit buckets (docs/vendors.md §2.7): each has its own per-minute window.
enum TradierBucket: String, Sendable, Hashable {
    case standard
    case marketData
    case trading

    static func of(method: HTTPMethod, path: String) -> TradierBucket {
        if path.hasPrefix("markets") { return .marketData }
        return method == .GET ? .standard : .trading
    }
}

/// The last `X-Ratelimit-*` headers seen for a bucket.
struct RateWindow: Sendable, Hashable {
    var available: Int?
    var expiry: Date?
}

/// The HTTP exchange with Tradier: Bearer auth and `Accept: application/json` on every call,
/// form-encoded writes, rate-limit bookkeeping, and retries for GETs only.
final class TradierHTTP: Sendable {
    struct Reply: Sendable {
        var status: Int
        var body: Data
        var headers: HTTPHeaders
    }

    let base: String
    private let token: String
    let http: HTTPClient
    let timeout: TimeAmount
    let retry: TradierRetryPolicy
    let logger: Logger
    let windows = Mutex<[TradierBucket: RateWindow]>([:])

    init(configuration: TradierConfiguration, http: HTTPClient, logger: Logger) {
        base = configuration.resolvedBaseURL.absoluteString
        token = configuration.accessToken
        self.http = http
        timeout = .nanoseconds(Int64(configuration.requestTimeout.seconds * 1e9))
        retry = configuration.retry
        self.logger = logger
    }

    // MARK: calls

    /// A GET with retries (transient errors, 429 after the window, Tradier's temporary 404).
    func get(_ path: String, query: [(String, String)] = []) async throws(BrokerError) -> Data {
        var attempt = 0
        var notFounds = 0
        while true {
            attempt += 1
            try await waitForWindow(.of(method: .GET, path: path))
            let failure: BrokerError
            do {
                let reply = try await exchange(.GET, path, query: query, form: nil)
                guard let error = TradierWire.error(status: reply.status, body: reply.body, retryAfter: retryAfter(reply)) else {
                    return reply.body
                }
                failure = error
            } catch {
                failure = error
            }
            let retryable: Bool
            switch failure {
            case .unavailable, .rateLimited: retryable = true
            case .notFound: notFounds += 1; retryable = notFounds < retry.maxNotFoundAttempts
            default: retryable = false
            }
            guard retryable, attempt < retry.maxAttempts, !Task.isCancelled else { throw failure }
            let delay = retry.delay(attempt: attempt)
            logger.warning("tradier GET failed; retrying", metadata: [
                "path": .string(path), "error": .string(failure.description), "attempt": .stringConvertible(attempt),
            ])
            if case .rateLimited = failure { continue }  // waitForWindow sleeps until the window resets
            do { try await Task.sleep(for: delay) } catch { throw failure }
        }
    }

    /// A POST, PUT or DELETE: sent once, never retried (a retry could place an order twice).
    /// Refused up front with `.rateLimited` when the trading window is known to be exhausted.
    ///
    /// What a failure means for the order (docs/operations.md, "Safety"): a transport failure
    /// after the request started (timeout, dropped connection), a 500/502/504 or 408 (a gateway
    /// may have forwarded it) and an unreadable success are `.outcomeUnknown` — the order is then
    /// looked up by tag, never re-sent blindly. A 503 ("not able to handle the request",
    /// RFC 9110 §15.6.4), 4xx answers and a refusal before sending prove nothing was placed.
    func write(_ method: HTTPMethod, _ path: String, form: [(String, String)]?) async throws(BrokerError) -> Data {
        if let wait = exhaustedWait(.of(method: method, path: path)) { throw .rateLimited(retryAfter: wait) }
        let reply: Reply
        do {
            reply = try await exchange(method, path, query: [], form: form)
        } catch {
            guard case .unavailable(let detail) = error else { throw .outcomeUnknown(error.description) }
            throw .outcomeUnknown(detail)
        }
        if let error = TradierWire.error(status: reply.status, body: reply.body, retryAfter: retryAfter(reply)) {
            switch error {
            case .unavailable(let detail) where reply.status != 503, .malformed(let detail):
                throw .outcomeUnknown(detail)
            default:
                throw error
            }
        }
        return reply.body
    }

    /// One HTTP exchange. Transport failures and timeouts become `.unavailable`.
    func exchange(_ method: HTTPMethod, _ path: String, query: [(String, String)], form: [(String, String)]?) async throws(BrokerError) -> Reply {
        var url = base + path
        if !query.isEmpty { url += "?" + TradierWire.formEncode(query) }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "trading-assistant")
        if let form {
            let body = TradierWire.formEncode(form)
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        } else if method == .POST || method == .PUT {
            request.headers.add(name: "Content-Length", value: "0")
        }
        let started = ContinuousClock.now
        let reply: Reply
        do {
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 16 << 20)
            reply = Reply(status: Int(response.status.code), body: Data(body.readableBytesView), headers: response.headers)
        } catch {
            logger.warning("tradier request failed", metadata: ["method": .string(method.rawValue), "path": .string(path), "error": .string(String(describing: error))])
            throw .unavailable("\(method.rawValue) \(path): \(Self.describe(error))")
        }
        record(reply.headers, bucket: .of(method: method, path: path), status: reply.status)
        logger.debug("tradier", metadata: [
            "method": .string(method.rawValue), "path": .string(path), "status": .stringConvertible(reply.status),
            "elapsed": .stringConvertible(ContinuousClock.now - started),
        ])
        return reply
    }

    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout { return "timed out" }
            if client == .remoteConnectionClosed { return "connection closed by the server" }
        }
        if error is CancellationError { return "cancelled" }
        return String(describing: error)
    }

    // MARK: rate limits

    /// Seconds until `X-Ratelimit-Expiry` (epoch ms), for a 429.
    private func retryAfter(_ reply: Reply) -> TimeInterval? {
        guard reply.status == 429 else { return nil }
        return Self.expiry(reply.headers).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func expiry(_ headers: HTTPHeaders) -> Date? {
        guard let text = headers.first(name: "X-Ratelimit-Expiry"), let value = Double(text.trimmingCharacters(in: .whitespaces)) else { return nil }
        // Epoch milliseconds per the docs; tolerate seconds (some third-party notes).
        return Date(timeIntervalSince1970: value >= 100_000_000_000 ? value / 1000 : value)
    }

    private func record(_ headers: HTTPHeaders, bucket: TradierBucket, status: Int) {
        let available = headers.first(name: "X-Ratelimit-Available").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        var expiry = Self.expiry(headers)
        let cap = Date().addingTimeInterval(retry.maxRateLimitWait.seconds)
        if let until = expiry, until > cap { expiry = cap }
        guard available != nil || expiry != nil || status == 429 else { return }
        windows.withLock { windows in
            var window = windows[bucket] ?? RateWindow()
            if status == 429 {
                window.available = 0
                window.expiry = expiry ?? Date().addingTimeInterval(retry.rateLimitFallbackWait.seconds)
            } else {
                window.available = available ?? window.available
                window.expiry = expiry ?? window.expiry
            }
            windows[bucket] = window
        }
    }

    /// How long until `bucket` has requests again, if it is known to be exhausted now.
    func exhaustedWait(_ bucket: TradierBucket) -> TimeInterval? {
        windows.withLock { windows in
            guard let window = windows[bucket], let available = window.available, available <= 0,
                  let expiry = window.expiry else { return nil }
            let wait = expiry.timeIntervalSinceNow
            if wait <= 0 {
                windows[bucket]?.available = nil
                return nil
            }
            return wait
        }
    }

    /// Sleeps until the bucket's window resets when the last answer said nothing is available.
    private func waitForWindow(_ bucket: TradierBucket) async throws(BrokerError) {
        while let wait = exhaustedWait(bucket) {
            logger.info("tradier rate limit reached; waiting for the window", metadata: ["bucket": .string(bucket.rawValue), "seconds": .stringConvertible(wait)])
            do {
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000) + 5))
            } catch {
                throw .rateLimited(retryAfter: exhaustedWait(bucket))
            }
        }
    }

    /// The tightest window seen: fewest requests left before its reset.
    func headroom() -> (available: Int?, resetsAt: Date?) {
        let now = Date()
        let live = windows.withLock { $0.values.filter { ($0.expiry ?? .distantFuture) > now && $0.available != nil } }
        guard let tightest = live.min(by: { ($0.available ?? .max) < ($1.available ?? .max) }) else { return (nil, nil) }
        return (tightest.available, tightest.expiry)
    }

    /// The pause before the next poll: at least `base`, and stretched so the polls left in the
    /// current window (minus a reserve for the user's own calls) last until it resets.
    func pollSpacing(base: Duration, reserve: Int = 5) -> Duration {
        guard let window = windows.withLock({ $0[.standard] }), let available = window.available,
              let expiry = window.expiry else { return base }
        let remaining = expiry.timeIntervalSinceNow
        guard remaining > 0 else { return base }
        let slots = available - reserve
        let spacing = slots > 0 ? remaining / Double(slots) : remaining
        return max(base, .milliseconds(Int64(spacing * 1000) + 5))
    }
}
