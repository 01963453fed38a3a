import Configuration
import Foundation
import Logging
import Persistence
import TradingDomain

extension AppConfig {
    /// Reads and validates the configuration from a reader whose keys map to environment names
    /// (`ta.port` ↔ `TA_PORT`).
    public static func load(from reader: ConfigReader) throws(ConfigError) -> AppConfig {
        var config = AppConfig()
        // Every violation is collected and reported at once (docs/configuration.md).
        let root = ConfigScope(reader: reader)
        let ta = root.scoped("ta")
        ta.check { () throws(ConfigError) in
            if let host = ta.text("host") {
                guard host.range(of: #"^[A-Za-z0-9.:\-]+$"#, options: .regularExpression) != nil else {
                    throw ConfigError("TA_HOST", "must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0 (got '\(host)')")
                }
                config.host = host
            }
        }
        if let port = ta.integer("port", 0...65535) { config.port = port }
        if let directory = ta.text("data.dir") { config.dataDirectory = directory }
        ta.check { () throws(ConfigError) in
            if let key = ta.text("api.key") {
                guard key.count >= 16, key.unicodeScalars.allSatisfy({ $0.isASCII && !$0.properties.isWhitespace }) else {
                    throw ConfigError("TA_API_KEY", "must be at least 16 printable ASCII characters without spaces")
                }
                config.apiKey = key
            }
        }
        ta.check { () throws(ConfigError) in
            if let origins = ta.text("cors.origins") {
                config.corsOrigins = try origins.split(separator: ",").map { raw throws(ConfigError) in
                    let origin = raw.trimmingCharacters(in: .whitespaces)
                    guard let url = URLComponents(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
                          url.host?.isEmpty == false, url.path.isEmpty || url.path == "/", url.query == nil
                    else {
                        throw ConfigError("TA_CORS_ORIGINS", "must be a comma-separated list of origins like https://example.com:8443 (got '\(origin)')")
                    }
                    return origin.hasSuffix("/") ? String(origin.dropLast()) : origin
                }
            }
        }
        ta.check { () throws(ConfigError) in
            if let level = ta.text("log.level") {
                guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                    throw ConfigError("TA_LOG_LEVEL", "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(level)')")
                }
                config.logLevel = parsed
            }
        }
        if let format = ta.choice("log.format", LogFormat.self) { config.logFormat = format }
        if let bytes = ta.integer("max.body.bytes", 1_024...104_857_600) { config.maxBodyBytes = bytes }
        if let seconds = ta.integer("shutdown.timeout.s", 1...60) { config.shutdownTimeoutSeconds = seconds }
        root.check { () throws(ConfigError) in
            if let url = root.text("database.url") {
                guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
                      components.host?.isEmpty == false
                else {
                    throw ConfigError("DATABASE_URL", "must be a PostgreSQL URL like postgres://user:password@host:5432/dbname (unset it to use SQLite)")
                }
                config.databaseURL = url
            }
        }

        // Market data.
        config.polygon = PolygonConfig.read(root.scoped("polygon"))
        if let allow = ta.flag("allow.live.trading") { config.allowLiveTrading = allow }
        config.tradier = TradierConfig.read(root.scoped("tradier"), allowLiveTrading: config.allowLiveTrading)
        // Real market data by default when there is a source: Polygon, else Tradier's own.
        config.marketData = config.polygon.apiKey != nil ? .polygon : config.tradier.accessToken != nil ? .tradier : .simulated
        if let provider = ta.choice("market.data", MarketDataProvider.self) { config.marketData = provider }
        if config.marketData == .polygon && config.polygon.apiKey == nil {
            ta.record(ConfigError("TA_MARKET_DATA", "is 'polygon', which needs POLYGON_API_KEY"))
        }
        config.simulation = SimulationConfig.read(ta.scoped("sim"))
        config.replay = ReplayConfig.read(ta.scoped("replay"), required: config.marketData == .replay)
        if let stale = ta.integer("stale.after.s", 1...86_400) { config.staleAfterSeconds = stale }

        // Engines and the HTTP server.
        if let cap = ta.integer("max.alerts", 1...1_000_000) { config.maxAlerts = cap }
        if let poll = ta.integer("alert.poll.s", 1...3_600) { config.alertPollSeconds = poll }
        if let seconds = ta.integer("unknown.proof.s", 1...3_600) { config.unknownProofSeconds = seconds }
        if let seconds = ta.integer("broker.timeout.s", 1...120) { config.brokerTimeoutSeconds = seconds }
        if let limit = ta.integer("auth.failures.per.min", 1...1_000_000) { config.authFailuresPerMinute = limit }
        if let interval = ta.integer("risk.interval.s", 1...3_600) { config.riskIntervalSeconds = interval }
        if let clients = ta.integer("max.ws.clients", 1...100_000) { config.maxWebSocketClients = clients }
        if let readers = ta.integer("db.readers", 0...16) { config.databaseReaders = readers }
        ta.check { () throws(ConfigError) in
            if let directory = ta.text("public.dir") {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ConfigError("TA_PUBLIC_DIR", "must name a folder holding index.html (got '\(directory)')")
                }
                config.publicDirectory = directory
            }
        }

        // Brokers.
        config.paper = PaperBrokerConfig.read(ta.scoped("paper"))
        if config.marketData == .tradier && !config.tradier.isConfigured {
            ta.record(ConfigError("TA_MARKET_DATA", "is 'tradier', which needs TRADIER_ACCESS_TOKEN and TRADIER_ACCOUNT_ID"))
        }

        config.coach = CoachConfig.read(root)
        config.testHooks = TestHooks.read(ta.scoped("test"), discord: ta.scoped("discord"))

        if var first = root.problems.errors.first {
            first.others = Array(root.problems.errors.dropFirst())
            throw first
        }
        return config
    }

    /// Keys and orders never cross a network in clear text: plain `http`/`ws` only to loopback.
    static func requireEncrypted(_ variable: String, _ url: URLComponents) throws(ConfigError) {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "ws", let host = url.host, !isLoopback(host) else { return }
        throw ConfigError(variable, "uses plain \(scheme):// to \(host); only loopback addresses may be unencrypted, use \(scheme)s://")
    }

    /// Test hooks (crash points, fake hosts) exist in debug builds only.
    static func requireDebugBuild(_ variable: String) throws(ConfigError) {
        #if !DEBUG
        throw ConfigError(variable, "is a test hook, available in debug builds only")
        #endif
    }
}
