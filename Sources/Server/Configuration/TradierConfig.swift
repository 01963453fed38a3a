import Foundation

/// The Tradier account (`TRADIER_*`, docs/configuration.md and docs/operations.md "Safety").
public struct TradierConfig: Sendable {
    public enum Environment: String, Sendable, CaseIterable { case sandbox, live }

    /// Tradier's sandbox host; any other non-loopback Tradier host moves real money.
    static let sandboxHost = "sandbox.tradier.com"

    public var accessToken: String?
    public var accountID: String?
    public var environment: Environment = .sandbox
    /// Tests only: replaces the Tradier API host (e.g. a loopback fake).
    public var baseURL: String?
    /// Tests only (loopback): replaces Tradier's market WebSocket (`wss://ws.tradier.com/v1/markets/events`).
    public var streamURL: String?

    public init() {}

    /// Both the token and the account are set: orders go to Tradier, not the paper broker.
    public var isConfigured: Bool { accessToken != nil && accountID != nil }

    /// The environment of the URL actually used: the sandbox host is `sandbox`, a loopback URL (a
    /// test fake) keeps `TRADIER_ENV`, any other host is `live`.
    public var environmentInUse: Environment {
        guard let baseURL, let host = URLComponents(string: baseURL)?.host?.lowercased() else { return environment }
        if host == Self.sandboxHost { return .sandbox }
        return AppConfig.isLoopback(host) ? environment : .live
    }

    /// Reads the `tradier` scope; a live host or environment needs `allowLiveTrading`.
    static func read(_ scope: ConfigScope, allowLiveTrading: Bool) -> TradierConfig {
        var config = TradierConfig()
        config.accessToken = scope.text("access.token")
        config.accountID = scope.text("account.id")
        if let environment = scope.choice("env", Environment.self) { config.environment = environment }
        if let base = scope.url("base.url", schemes: ["http", "https"]), let host = URLComponents(string: base)?.host {
            if !AppConfig.isLoopback(host) && host.lowercased() != sandboxHost && !allowLiveTrading {
                scope.record(ConfigError(scope.variable("base.url"), "points at \(host), which is not the sandbox (\(sandboxHost)): that places real-money orders; also set TA_ALLOW_LIVE_TRADING=true to allow it"))
            } else {
                config.baseURL = base
            }
        }
        if let url = scope.text("stream.url") {
            if let components = URLComponents(string: url), ["ws", "wss"].contains(components.scheme ?? ""),
               let host = components.host, AppConfig.isLoopback(host) {
                config.streamURL = url
            } else {
                scope.record(ConfigError(scope.variable("stream.url"), "is a test seam: it must be a ws:// or wss:// URL to a loopback address (got '\(url)')"))
            }
        }
        if (config.accessToken == nil) != (config.accountID == nil) {
            let missing = config.accessToken == nil ? "access.token" : "account.id"
            let other = config.accessToken == nil ? "account.id" : "access.token"
            scope.record(ConfigError(scope.variable(missing), "must be set together with \(scope.variable(other)) (or neither, for the paper broker)"))
        }
        if config.environment == .live && !allowLiveTrading {
            scope.record(ConfigError(scope.variable("env"), "is 'live', which places real orders; also set TA_ALLOW_LIVE_TRADING=true to allow it"))
        }
        return config
    }

    var summary: [String: String?] {
        ["broker": accessToken == nil ? "paper" : "tradier", "TRADIER_ACCESS_TOKEN": AppConfig.redacted(accessToken),
         "TRADIER_ACCOUNT_ID": accountID, "TRADIER_ENV": environment.rawValue, "TRADIER_BASE_URL": baseURL, "TRADIER_STREAM_URL": streamURL,
         "tradier_environment_in_use": environmentInUse.rawValue]
    }
}
