import Configuration
import Foundation
import Logging
import Persistence
import TradingDomain

/// Every setting the server reads at start, validated. Built from (highest priority first)
/// command-line flags, the process environment, a `.env` file, then defaults.
/// `docs/configuration.md` documents each variable; keep the two in step.
public struct AppConfig: Sendable {
    public enum LogFormat: String, Sendable, CaseIterable { case json, text }
    public enum MarketDataProvider: String, Sendable, CaseIterable { case simulated, replay, polygon, tradier }

    public var host: String = "127.0.0.1"
    public var port: Int = 8000
    public var dataDirectory: String = "./data"
    /// The API key when set explicitly (`TA_API_KEY`); otherwise one is generated and stored.
    public var apiKey: String?
    public var corsOrigins: [String] = []
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .text
    public var databaseURL: String?
    public var maxBodyBytes: Int = 1_048_576
    public var shutdownTimeoutSeconds: Int = 4

    /// Market data: `simulated` (offline default), `replay` (a CSV file), `polygon`, or `tradier`
    /// (the default with Tradier configured and no Polygon key).
    public var marketData: MarketDataProvider = .simulated
    /// A symbol with no data for this long is stale (and so is the feed).
    public var staleAfterSeconds: Int = 30
    /// Most alerts that may exist at once.
    public var maxAlerts: Int = 10_000
    /// How often the fallback poller checks alerts while the stream is down or stale.
    public var alertPollSeconds: Int = 15
    /// Seconds between risk evaluations (and `risk` broadcasts).
    public var riskIntervalSeconds: Int = 5
    /// Failed authentications per address per minute before that address gets 429s.
    public var authFailuresPerMinute: Int = 20
    /// Concurrent WebSocket clients; more are refused (issue 20: 1,000 held, docs/performance.md).
    public var maxWebSocketClients: Int = 1_000
    /// SQLite read connections for the GET list endpoints, beside the one writer (0 = none).
    public var databaseReaders: Int = 2
    /// Dashboard development: serve the dashboard files from this folder, re-read on every request.
    public var publicDirectory: String?
    /// `TA_ALLOW_LIVE_TRADING`: the one opt-in to real-money orders (docs/operations.md, "Safety").
    public var allowLiveTrading: Bool = false
    /// Lookups of a bracket exit whose outcome is unknown must find nothing for this long before
    /// it is taken as never received and sent again under the same tag.
    public var unknownProofSeconds: Int = 60
    /// Deadline of one broker HTTP exchange; a placement past it has an unknown outcome.
    public var brokerTimeoutSeconds: Int = 15

    // One struct per adapter, each read from its own scope of the reader.
    public var simulation = SimulationConfig()
    public var replay = ReplayConfig()
    public var polygon = PolygonConfig()
    public var tradier = TradierConfig()
    public var paper = PaperBrokerConfig()
    public var coach = CoachConfig()
    /// Seams for tests, grouped so production code paths never read them by accident.
    public var testHooks = TestHooks()

    public init() {}

    /// Test seams: the crash points and the Discord host a loopback fake stands in for. Debug builds
    /// only: a release build refuses every one of them at start.
    public struct TestHooks: Sendable {
        /// The process kills itself at this point of placing an order.
        public var crashAtOrder: String?
        /// The process kills itself just before alert firings are stored.
        public var crashBeforeAlertCommit = false
        /// Replaces the scheme and host Discord webhooks are delivered to (`TA_DISCORD_API_BASE`).
        public var discordAPIBase: String?
        /// The server's clock starts at this instant and runs on in real time (`TA_TEST_NOW`, debug
        /// builds only), so a process test can pin the market session.
        public var now: Date?

        public init() {}

        /// Reads `TA_TEST_*` (crash points, refused in release builds) and `TA_DISCORD_API_BASE`.
        static func read(_ scope: ConfigScope, discord: ConfigScope) -> TestHooks {
            var hooks = TestHooks()
            if let crash = scope.flag("crash.before.alert.commit") {
                scope.check { () throws(ConfigError) in try AppConfig.requireDebugBuild(scope.variable("crash.before.alert.commit")) }
                hooks.crashBeforeAlertCommit = crash
            }
            if let point = scope.text("crash.at") {
                scope.check { () throws(ConfigError) in
                    try AppConfig.requireDebugBuild(scope.variable("crash.at"))
                    guard ["after_intent", "after_sending", "after_broker_accept"].contains(point) else {
                        throw ConfigError(scope.variable("crash.at"), "must be after_intent, after_sending or after_broker_accept (got '\(point)')")
                    }
                    hooks.crashAtOrder = point
                }
            }
            if let text = scope.text("now") {
                scope.check { () throws(ConfigError) in
                    try AppConfig.requireDebugBuild(scope.variable("now"))
                    guard let instant = ISO8601.parse(text) else {
                        throw ConfigError(scope.variable("now"), "must be an ISO 8601 time with a zone, e.g. 2026-11-27T12:59:00-05:00 (got '\(text)')")
                    }
                    hooks.now = instant
                }
            }
            if let base = discord.text("api.base") {
                discord.check { () throws(ConfigError) in try AppConfig.requireDebugBuild(discord.variable("api.base")) }
                if let components = URLComponents(string: base), ["http", "https"].contains(components.scheme ?? ""),
                   components.host?.isEmpty == false, components.path.isEmpty || components.path == "/" {
                    hooks.discordAPIBase = base
                } else {
                    discord.record(ConfigError(discord.variable("api.base"), "must be a scheme and host like http://127.0.0.1:9999 (got '\(base)')"))
                }
            }
            return hooks
        }
    }

    /// Where data lives: PostgreSQL when `DATABASE_URL` says so, else SQLite in the data folder.
    public var storeLocation: StoreLocation {
        if let databaseURL { return .postgres(url: databaseURL) }
        return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("trading-assistant.sqlite").path)
    }

    public var isLoopbackHost: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return ["127.0.0.1", "localhost", "::1"].contains(bare.lowercased()) || bare.hasPrefix("127.")
    }

    /// A real broker (Tradier) priced from simulated or replayed data: only with an explicit
    /// `TA_MARKET_DATA=simulated|replay`, and then every preview and the dashboard say so.
    public var realBrokerOnSimulatedPrices: Bool {
        tradier.accessToken != nil && (marketData == .simulated || marketData == .replay)
    }

    /// Every secret value in the configuration, for log redaction.
    public var secrets: [String] {
        [apiKey, polygon.apiKey, tradier.accessToken, coach.chatData.apiKey, coach.openAI.apiKey, databaseURL.flatMap(Self.password(in:))]
            .compactMap { $0 }.filter { !$0.isEmpty }
    }

    static func password(in url: String) -> String? {
        URLComponents(string: url)?.password
    }
}

/// A configuration value that cannot be used. The message names the variable and what is allowed;
/// it never repeats a secret value.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var problem: String
    /// Every further violation found in the same configuration (all are reported at once).
    public var others: [ConfigError] = []

    public init(_ variable: String, _ problem: String) {
        self.variable = variable
        self.problem = problem
    }

    /// Every violation, one per line (the first without a prefix; the command line adds "error: ").
    public var description: String {
        ([self] + others).map { "invalid configuration: \($0.variable) \($0.problem)" }.joined(separator: "\nerror: ")
    }

    /// The variables named, the first one first.
    public var variables: [String] { [variable] + others.map(\.variable) }
}

extension AppConfig {
    /// Variable names that hold secrets; swift-configuration redacts them in its own output too.
    static let secretVariables: Set<String> = [
        "TA_API_KEY", "POLYGON_API_KEY", "TRADIER_ACCESS_TOKEN", "CHATDATA_API_KEY", "DATABASE_URL", "OPENAI_API_KEY",
    ]

    /// Builds the reader: flags (already mapped to keys), then the environment, then a `.env` file.
    public static func reader(
        flags: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment,
        envFile: String? = ".env"
    ) async throws -> ConfigReader {
        let secrets = SecretsSpecifier<String, String>.specific(secretVariables)
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flags",
                values: Dictionary(uniqueKeysWithValues: flags.map { key, value in
                    (AbsoluteConfigKey(key.split(separator: ".").map(String.init)),
                     ConfigValue(.string(value), isSecret: false))
                })),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: secrets),
        ]
        if let envFile {
            providers.append(try await EnvironmentVariablesProvider(
                environmentFilePath: .init(envFile), allowMissing: true, secretsSpecifier: secrets))
        }
        return ConfigReader(providers: providers)
    }
}
