import Foundation
import TradingEngine

/// How to reach one Tradier account. The access token is never printed: `description`,
/// `debugDescription` and `dump` show it redacted.
public struct TradierConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Which Tradier host (docs/vendors.md §2.1). Sandbox and live tokens are not interchangeable.
    public enum Environment: String, Sendable, Hashable, CaseIterable {
        /// Paper trading: `https://sandbox.tradier.com/v1/` (60 requests/min per bucket).
        case sandbox
        /// Real money: `https://api.tradier.com/v1/`. Needs `allowLive`.
        case live

        /// The documented REST base URL of the environment.
        public var defaultBaseURL: URL {
            switch self {
            case .sandbox: URL(string: "https://sandbox.tradier.com/v1/") ?? URL(fileURLWithPath: "/")
            case .live: URL(string: "https://api.tradier.com/v1/") ?? URL(fileURLWithPath: "/")
            }
        }
    }

    /// Bearer token (secret).
    public var accessToken: String
    /// Account number, e.g. `VA000001`.
    public var accountID: String
    /// Sandbox (paper) or live.
    public var environment: Environment
    /// Overrides the environment's host (tests point it at a loopback fake), e.g. `http://127.0.0.1:8123/v1/`.
    public var baseURL: URL?
    /// Must be true for `environment == .live` (the operator's `TA_ALLOW_LIVE_TRADING=true`).
    public var allowLive: Bool
    /// Spacing of order polls while orders are working; stretched further when the rate limit runs low.
    public var pollInterval: Duration
    /// Deadline of one HTTP exchange. A placement that times out is not retried: its outcome is
    /// found by tag later.
    public var requestTimeout: Duration
    /// Retries of idempotent GETs.
    public var retry: TradierRetryPolicy

    public init(
        accessToken: String, accountID: String, environment: Environment = .sandbox, baseURL: URL? = nil,
        allowLive: Bool = false, pollInterval: Duration = .seconds(2), requestTimeout: Duration = .seconds(15),
        retry: TradierRetryPolicy = TradierRetryPolicy()
    ) {
        self.accessToken = accessToken
        self.accountID = accountID
        self.environment = environment
        self.baseURL = baseURL
        self.allowLive = allowLive
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.retry = retry
    }

    /// `baseURL` if set, else the environment's host; always ends with `/`.
    public var resolvedBaseURL: URL {
        let url = baseURL ?? environment.defaultBaseURL
        if url.absoluteString.hasSuffix("/") { return url }
        return URL(string: url.absoluteString + "/") ?? url
    }

    /// Throws when the configuration must not be used (live without opt-in, empty values, odd URL).
    public func validate() throws(TradierConfigurationError) {
        if environment == .live && !allowLive {
            throw TradierConfigurationError(message: "live trading needs TA_ALLOW_LIVE_TRADING=true")
        }
        // The URL decides, not the label: any host but the sandbox (or a loopback test fake)
        // moves real money, so it needs the same opt-in and is reported as live.
        let host = resolvedBaseURL.host?.lowercased() ?? ""
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        if host != "sandbox.tradier.com" && !loopback {
            if !allowLive { throw TradierConfigurationError(message: "\(host) is a live Tradier host; live trading needs TA_ALLOW_LIVE_TRADING=true") }
            if environment != .live { throw TradierConfigurationError(message: "\(host) is a live Tradier host but the environment says sandbox") }
        }
        if resolvedBaseURL.scheme?.lowercased() == "http" && !loopback {
            throw TradierConfigurationError(message: "the Tradier base URL must use https (plain http only to loopback)")
        }
        if accessToken.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw TradierConfigurationError(message: "the Tradier access token is empty")
        }
        if accessToken.contains(where: { $0.isNewline || $0 == " " }) {
            throw TradierConfigurationError(message: "the Tradier access token contains spaces or line breaks")
        }
        if !TradierWire.isValidTag(accountID) {
            throw TradierConfigurationError(message: "the Tradier account id must be letters and digits (e.g. VA000001)")
        }
        let scheme = resolvedBaseURL.scheme?.lowercased()
        guard scheme == "https" || scheme == "http", resolvedBaseURL.host != nil else {
            throw TradierConfigurationError(message: "the Tradier base URL must be an http(s) URL")
        }
    }

    public var description: String {
        "TradierConfiguration(environment: \(environment.rawValue), account: \(accountID), base: \(resolvedBaseURL.absoluteString), token: <redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessToken": "<redacted>", "accountID": accountID, "environment": environment,
            "baseURL": resolvedBaseURL, "allowLive": allowLive, "pollInterval": pollInterval,
        ])
    }
}

/// Why a Tradier configuration was refused.
public struct TradierConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

/// Retries of idempotent GETs after 502/503/504/500, connection errors, timeouts, 429 and
/// Tradier's "temporary 404" (docs/vendors.md §2.6). POST, PUT and DELETE are never retried.
public struct TradierRetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included.
    public var maxAttempts: Int
    /// Of those, how many may be answered 404 before `.notFound` is believed.
    public var maxNotFoundAttempts: Int
    /// First retry waits about this long; each further one twice as long, up to `maxDelay`.
    public var initialDelay: Duration
    public var maxDelay: Duration
    /// Wait after a 429 that carries no `X-Ratelimit-Expiry`.
    public var rateLimitFallbackWait: Duration
    /// Never wait longer than this for a rate-limit window (one window is a minute).
    public var maxRateLimitWait: Duration

    public init(
        maxAttempts: Int = 4, maxNotFoundAttempts: Int = 2, initialDelay: Duration = .milliseconds(300),
        maxDelay: Duration = .seconds(5), rateLimitFallbackWait: Duration = .seconds(5), maxRateLimitWait: Duration = .seconds(65)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxNotFoundAttempts = max(1, maxNotFoundAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.rateLimitFallbackWait = rateLimitFallbackWait
        self.maxRateLimitWait = maxRateLimitWait
    }

    /// Delay before retry number `attempt` (1-based): the shared `Backoff`, in [ceiling/2, ceiling].
    func delay(attempt: Int) -> Duration {
        Backoff(initial: initialDelay, maximum: maxDelay).delay(attempt: attempt - 1)
    }
}
