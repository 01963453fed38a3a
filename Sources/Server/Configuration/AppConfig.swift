import Configuration
import Foundation
import Logging
import Persistence

/// Every setting the server reads at start, validated. Built from (highest priority first)
/// command-line flags, the process environment, a `.env` file, then defaults.
/// `docs/configuration.md` documents each variable; keep the two in step.
public struct AppConfig: Sendable {
    public enum LogFormat: String, Sendable, CaseIterable { case json, text }
    public enum TradierEnvironment: String, Sendable, CaseIterable { case sandbox, live }
    public enum MarketDataProvider: String, Sendable, CaseIterable { case simulated, replay, polygon }
    public enum PolygonFeed: String, Sendable, CaseIterable { case realtime, delayed }
    public enum CoachBackendKind: String, Sendable, CaseIterable { case builtin, chatdata, openai }

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

    /// Market data: `simulated` (offline default), `replay` (a CSV file) or `polygon`.
    public var marketData: MarketDataProvider = .simulated
    public var simulationSeed: UInt64 = 42
    public var simulationTicksPerSecond: Int = 4
    public var replayFile: String?
    public var replaySpeed: Int = 1
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
    /// Concurrent WebSocket clients; more are refused.
    public var maxWebSocketClients: Int = 200
    /// Dashboard development: serve the dashboard files from this folder, re-read on every request.
    public var publicDirectory: String?
    public var polygonAPIKey: String?
    public var polygonFeed: PolygonFeed = .realtime
    public var polygonWebSocketURL: String?
    public var polygonRESTURL: String = "https://api.massive.com"
    /// REST calls allowed per minute (the free plan allows 5).
    public var polygonRequestsPerMinute: Int = 5
    public var tradierAccessToken: String?
    public var tradierAccountID: String?
    public var tradierEnvironment: TradierEnvironment = .sandbox
    public var allowLiveTrading: Bool = false
    /// Tests only: replaces the Tradier API host (e.g. a loopback fake).
    public var tradierBaseURL: String?
    /// The paper broker's starting cash, slippage per share, commissions and option volatility.
    public var paperEquity: Decimal = 100_000
    public var paperSlippage: Decimal = Decimal(string: "0.01")!
    public var paperCommission: Decimal = 0
    public var paperOptionCommission: Decimal = Decimal(string: "0.65")!
    public var paperOptionVolatility: Decimal = Decimal(string: "0.30")!
    /// Seams for tests, grouped so production code paths never read them by accident.
    public var testHooks = TestHooks()
    /// Lookups of a bracket exit whose outcome is unknown must find nothing for this long before
    /// it is taken as never received and sent again under the same tag.
    public var unknownProofSeconds: Int = 60
    /// Deadline of one broker HTTP exchange; a placement past it has an unknown outcome.
    public var brokerTimeoutSeconds: Int = 15
    /// True when `TA_MARKET_DATA` was set explicitly (a real broker on simulated prices needs it).
    public var marketDataExplicit = false
    public var chatDataAPIKey: String?
    public var chatDataChatbotID: String?
    public var chatDataBaseURL: String = "https://api.chat-data.com"
    public var chatDataModel: String?
    /// The coach backend: `openai` when OPENAI_BASE_URL is set, else `chatdata` with CHATDATA_API_KEY,
    /// else the built-in coach; TA_COACH chooses explicitly.
    public var coach: CoachBackendKind = .builtin
    public var openAIBaseURL: String?
    public var openAIAPIKey: String?
    public var coachModel: String = "gpt-4o-mini"
    public var coachMaxRounds: Int = 4

    public init() {}

    /// Test seams: the crash points (debug builds only; a release build refuses them at start) and
    /// the Discord host a loopback fake stands in for.
    public struct TestHooks: Sendable {
        /// The process kills itself at this point of placing an order.
        public var crashAtOrder: String?
        /// The process kills itself just before alert firings are stored.
        public var crashBeforeAlertCommit = false
        /// Replaces the scheme and host Discord webhooks are delivered to (`TA_DISCORD_API_BASE`).
        public var discordAPIBase: String?
        /// The process clock starts at this instant and runs at real speed (`TA_TEST_NOW`), so a
        /// test can choose the market session (debug builds only).
        public var clockStart: Date?

        public init() {}
    }

    /// Where data lives: PostgreSQL when `DATABASE_URL` says so, else SQLite in the data folder.
    public var storeLocation: StoreLocation {
        if let databaseURL { return .postgres(url: databaseURL) }
        return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("trading-assistant.sqlite").path)
    }

    /// The Polygon/Massive WebSocket URL: `POLYGON_WS_URL`, else the real-time or delayed host.
    public var polygonStreamURL: String {
        polygonWebSocketURL ?? (polygonFeed == .delayed ? "wss://delayed.massive.com/stocks" : "wss://socket.massive.com/stocks")
    }

    public var isLoopbackHost: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return ["127.0.0.1", "localhost", "::1"].contains(bare.lowercased()) || bare.hasPrefix("127.")
    }

    /// Tradier's sandbox host; any other non-loopback Tradier host moves real money.
    static let tradierSandboxHost = "sandbox.tradier.com"

    /// The Tradier environment of the URL actually used: the sandbox host is `sandbox`, a loopback
    /// URL (a test fake) keeps `TRADIER_ENV`, any other host is `live` (docs/operations.md, "Safety").
    public var tradierEnvironmentInUse: TradierEnvironment {
        guard let base = tradierBaseURL, let host = URLComponents(string: base)?.host?.lowercased() else { return tradierEnvironment }
        if host == Self.tradierSandboxHost { return .sandbox }
        return Self.isLoopback(host) ? tradierEnvironment : .live
    }

    /// A real broker (Tradier) priced from simulated or replayed data: allowed only with an
    /// explicit `TA_MARKET_DATA`, and then every preview and the dashboard say so.
    public var realBrokerOnSimulatedPrices: Bool {
        tradierAccessToken != nil && marketData != .polygon
    }

    /// Every secret value in the configuration, for log redaction.
    public var secrets: [String] {
        [apiKey, polygonAPIKey, tradierAccessToken, chatDataAPIKey, openAIAPIKey, databaseURL.flatMap(Self.password(in:))]
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
