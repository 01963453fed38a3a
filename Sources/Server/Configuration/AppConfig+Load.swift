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
        var problems: [ConfigError] = []
        func attempt(_ body: () throws(ConfigError) -> Void) {
            do { try body() } catch { problems.append(error) }
        }
        func text(_ key: String) -> String? {
            guard let value = reader.string(forKey: ConfigKey(key)) else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        func name(_ key: String) -> String { key.replacingOccurrences(of: ".", with: "_").uppercased() }
        // The readers below return nil for an unset value and for an invalid one (recorded).
        func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
            guard let value = text(key) else { return nil }
            guard let parsed = E(rawValue: value.lowercased()) else {
                problems.append(ConfigError(name(key), "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(value)')"))
                return nil
            }
            return parsed
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = text(key) else { return nil }
            guard let number = Int(value), range.contains(number) else {
                problems.append(ConfigError(name(key), "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(value)')"))
                return nil
            }
            return number
        }
        func flag(_ key: String) -> Bool? {
            guard let value = text(key) else { return nil }
            switch value.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default:
                problems.append(ConfigError(name(key), "must be true or false (got '\(value)')"))
                return nil
            }
        }

        attempt { () throws(ConfigError) in
            if let host = text("ta.host") {
                guard host.range(of: #"^[A-Za-z0-9.:\-]+$"#, options: .regularExpression) != nil else {
                    throw ConfigError("TA_HOST", "must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0 (got '\(host)')")
                }
                config.host = host
            }
        }
        if let port = integer("ta.port", 0...65535) { config.port = port }
        if let directory = text("ta.data.dir") { config.dataDirectory = directory }
        attempt { () throws(ConfigError) in
            if let key = text("ta.api.key") {
                guard key.count >= 16, key.unicodeScalars.allSatisfy({ $0.isASCII && !$0.properties.isWhitespace }) else {
                    throw ConfigError("TA_API_KEY", "must be at least 16 printable ASCII characters without spaces")
                }
                config.apiKey = key
            }
        }
        attempt { () throws(ConfigError) in
            if let origins = text("ta.cors.origins") {
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
        attempt { () throws(ConfigError) in
            if let level = text("ta.log.level") {
                guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                    throw ConfigError("TA_LOG_LEVEL", "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(level)')")
                }
                config.logLevel = parsed
            }
        }
        if let format = choice("ta.log.format", LogFormat.self) { config.logFormat = format }
        if let bytes = integer("ta.max.body.bytes", 1_024...104_857_600) { config.maxBodyBytes = bytes }
        if let seconds = integer("ta.shutdown.timeout.s", 1...60) { config.shutdownTimeoutSeconds = seconds }
        attempt { () throws(ConfigError) in
            if let url = text("database.url") {
                guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
                      components.host?.isEmpty == false
                else {
                    throw ConfigError("DATABASE_URL", "must be a PostgreSQL URL like postgres://user:password@host:5432/dbname (unset it to use SQLite)")
                }
                config.databaseURL = url
            }
        }
        config.polygonAPIKey = text("polygon.api.key")
        if let feed = choice("polygon.feed", PolygonFeed.self) { config.polygonFeed = feed }
        attempt { () throws(ConfigError) in
            for (key, assign) in [("polygon.ws.url", true), ("polygon.rest.url", false)] {
                guard let url = text(key) else { continue }
                let schemes = assign ? ["ws", "wss"] : ["http", "https"]
                guard let components = URLComponents(string: url), schemes.contains(components.scheme ?? ""), components.host?.isEmpty == false else {
                    throw ConfigError(name(key), "must be a \(schemes.joined(separator: " or ")) URL (got '\(url)')")
                }
                try requireEncrypted(name(key), components)
                if assign { config.polygonWebSocketURL = url } else { config.polygonRESTURL = url.hasSuffix("/") ? String(url.dropLast()) : url }
            }
        }
        if let perMinute = integer("polygon.max.requests.per.min", 1...100_000) { config.polygonRequestsPerMinute = perMinute }
        config.marketData = config.polygonAPIKey == nil ? .simulated : .polygon
        if let provider = choice("ta.market.data", MarketDataProvider.self) {
            config.marketData = provider
            config.marketDataExplicit = true
        }
        attempt { () throws(ConfigError) in
            if config.marketData == .polygon && config.polygonAPIKey == nil {
                throw ConfigError("TA_MARKET_DATA", "is 'polygon', which needs POLYGON_API_KEY")
            }
        }
        attempt { () throws(ConfigError) in
            if let seed = text("ta.sim.seed") {
                guard let value = UInt64(seed) else { throw ConfigError("TA_SIM_SEED", "must be a whole number from 0 to \(UInt64.max) (got '\(seed)')") }
                config.simulationSeed = value
            }
        }
        if let rate = integer("ta.sim.ticks.per.s", 1...1_000) { config.simulationTicksPerSecond = rate }
        config.replayFile = text("ta.replay.file")
        if let speed = integer("ta.replay.speed", 1...100_000) { config.replaySpeed = speed }
        attempt { () throws(ConfigError) in
            if config.marketData == .replay {
                guard let file = config.replayFile else { throw ConfigError("TA_REPLAY_FILE", "is required when TA_MARKET_DATA is 'replay'") }
                guard FileManager.default.isReadableFile(atPath: file) else { throw ConfigError("TA_REPLAY_FILE", "must name a readable CSV file (got '\(file)')") }
            }
        }
        if let stale = integer("ta.stale.after.s", 1...86_400) { config.staleAfterSeconds = stale }
        if let cap = integer("ta.max.alerts", 1...1_000_000) { config.maxAlerts = cap }
        if let poll = integer("ta.alert.poll.s", 1...3_600) { config.alertPollSeconds = poll }
        attempt { () throws(ConfigError) in
            if let crash = flag("ta.test.crash.before.alert.commit") {
                try requireDebugBuild("TA_TEST_CRASH_BEFORE_ALERT_COMMIT")
                config.testHooks.crashBeforeAlertCommit = crash
            }
        }
        if let seconds = integer("ta.unknown.proof.s", 1...3_600) { config.unknownProofSeconds = seconds }
        if let seconds = integer("ta.broker.timeout.s", 1...120) { config.brokerTimeoutSeconds = seconds }
        if let limit = integer("ta.auth.failures.per.min", 1...1_000_000) { config.authFailuresPerMinute = limit }
        if let interval = integer("ta.risk.interval.s", 1...3_600) { config.riskIntervalSeconds = interval }
        if let clients = integer("ta.max.ws.clients", 1...100_000) { config.maxWebSocketClients = clients }
        attempt { () throws(ConfigError) in
            if let directory = text("ta.public.dir") {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ConfigError("TA_PUBLIC_DIR", "must name a folder holding index.html (got '\(directory)')")
                }
                config.publicDirectory = directory
            }
        }
        attempt { () throws(ConfigError) in
            if let base = text("ta.discord.api.base") {
                guard let components = URLComponents(string: base), ["http", "https"].contains(components.scheme ?? ""),
                      components.host?.isEmpty == false, components.path.isEmpty || components.path == "/"
                else { throw ConfigError("TA_DISCORD_API_BASE", "must be a scheme and host like http://127.0.0.1:9999 (got '\(base)')") }
                config.testHooks.discordAPIBase = base
            }
        }
        config.tradierAccessToken = text("tradier.access.token")
        config.tradierAccountID = text("tradier.account.id")
        if let environment = choice("tradier.env", TradierEnvironment.self) { config.tradierEnvironment = environment }
        if let allow = flag("ta.allow.live.trading") { config.allowLiveTrading = allow }
        attempt { () throws(ConfigError) in
            if let base = text("tradier.base.url") {
                guard let url = URLComponents(string: base), ["http", "https"].contains(url.scheme ?? ""), let host = url.host, !host.isEmpty else {
                    throw ConfigError("TRADIER_BASE_URL", "must be an http(s) URL (got '\(base)')")
                }
                try requireEncrypted("TRADIER_BASE_URL", url)
                if !isLoopback(host) && host.lowercased() != tradierSandboxHost && !config.allowLiveTrading {
                    throw ConfigError("TRADIER_BASE_URL", "points at \(host), which is not the sandbox (\(tradierSandboxHost)): that places real-money orders; also set TA_ALLOW_LIVE_TRADING=true to allow it")
                }
                config.tradierBaseURL = base
            }
        }
        func decimal(_ key: String, _ range: ClosedRange<Decimal>) -> Decimal? {
            guard let value = text(key) else { return nil }
            guard let number = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")), range.contains(number),
                  value.allSatisfy({ $0.isNumber || $0 == "." }) else {
                problems.append(ConfigError(name(key), "must be a number from \(range.lowerBound) to \(range.upperBound) (got '\(value)')"))
                return nil
            }
            return number
        }
        if let equity = decimal("ta.paper.equity", 1...1_000_000_000) { config.paperEquity = equity }
        if let slippage = decimal("ta.paper.slippage", 0...100) { config.paperSlippage = slippage }
        if let commission = decimal("ta.paper.commission", 0...1_000) { config.paperCommission = commission }
        if let commission = decimal("ta.paper.option.commission", 0...100) { config.paperOptionCommission = commission }
        if let volatility = decimal("ta.paper.option.volatility", Decimal(string: "0.01")!...5) { config.paperOptionVolatility = volatility }
        // Test seam: the process clock's start (market sessions in process tests; debug builds only).
        attempt { () throws(ConfigError) in
            if let start = text("ta.test.now") {
                try requireDebugBuild("TA_TEST_NOW")
                guard let date = ISO8601.parse(start) else { throw ConfigError("TA_TEST_NOW", "must be an ISO-8601 time with a zone (got '\(start)')") }
                config.testHooks.clockStart = date
            }
        }
        attempt { () throws(ConfigError) in
            if let point = text("ta.test.crash.at") {
                try requireDebugBuild("TA_TEST_CRASH_AT")
                guard ["after_intent", "after_sending", "after_broker_accept"].contains(point) else {
                    throw ConfigError("TA_TEST_CRASH_AT", "must be after_intent, after_sending or after_broker_accept (got '\(point)')")
                }
                config.testHooks.crashAtOrder = point
            }
        }
        attempt { () throws(ConfigError) in
            if (config.tradierAccessToken == nil) != (config.tradierAccountID == nil) {
                throw ConfigError(
                    config.tradierAccessToken == nil ? "TRADIER_ACCESS_TOKEN" : "TRADIER_ACCOUNT_ID",
                    "must be set together with \(config.tradierAccessToken == nil ? "TRADIER_ACCOUNT_ID" : "TRADIER_ACCESS_TOKEN") (or neither, for the paper broker)")
            }
        }
        attempt { () throws(ConfigError) in
            if config.tradierEnvironment == .live && !config.allowLiveTrading {
                throw ConfigError("TRADIER_ENV", "is 'live', which places real orders; also set TA_ALLOW_LIVE_TRADING=true to allow it")
            }
        }
        attempt { () throws(ConfigError) in
            if config.tradierAccessToken != nil && config.marketData != .polygon && !config.marketDataExplicit {
                throw ConfigError("TA_MARKET_DATA", "is not set and there is no POLYGON_API_KEY: Tradier is configured, and a real broker must not be priced from the simulated market. Set POLYGON_API_KEY, or TA_MARKET_DATA=simulated to accept simulated prices (shown as SIMULATED PRICES everywhere)")
            }
        }
        config.chatDataAPIKey = text("chatdata.api.key")
        config.chatDataChatbotID = text("chatdata.chatbot.id")
        attempt { () throws(ConfigError) in
            if let base = text("chatdata.base.url") {
                guard let url = URLComponents(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
                    throw ConfigError("CHATDATA_BASE_URL", "must be an http(s) URL (got '\(base)')")
                }
                try requireEncrypted("CHATDATA_BASE_URL", url)
                config.chatDataBaseURL = base
            }
        }
        attempt { () throws(ConfigError) in
            if config.chatDataAPIKey != nil && config.chatDataChatbotID == nil {
                throw ConfigError("CHATDATA_CHATBOT_ID", "is required when CHATDATA_API_KEY is set")
            }
        }
        config.chatDataModel = text("chatdata.model")
        attempt { () throws(ConfigError) in
            if let base = text("openai.base.url") {
                guard let url = URLComponents(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
                    throw ConfigError("OPENAI_BASE_URL", "must be an http(s) URL like http://127.0.0.1:11434/v1 (got '\(base)')")
                }
                try requireEncrypted("OPENAI_BASE_URL", url)
                config.openAIBaseURL = base
            }
        }
        config.openAIAPIKey = text("openai.api.key")
        if let model = text("ta.coach.model") { config.coachModel = model }
        if let rounds = integer("ta.coach.max.rounds", 1...20) { config.coachMaxRounds = rounds }
        config.coach = config.openAIBaseURL != nil ? .openai : (config.chatDataAPIKey != nil ? .chatdata : .builtin)
        if let coach = choice("ta.coach", CoachBackendKind.self) { config.coach = coach }
        attempt { () throws(ConfigError) in
            if config.coach == .openai && config.openAIBaseURL == nil {
                throw ConfigError("TA_COACH", "is 'openai', which needs OPENAI_BASE_URL")
            }
        }
        attempt { () throws(ConfigError) in
            if config.coach == .chatdata && config.chatDataAPIKey == nil {
                throw ConfigError("TA_COACH", "is 'chatdata', which needs CHATDATA_API_KEY and CHATDATA_CHATBOT_ID")
            }
        }
        if var first = problems.first {
            first.others = Array(problems.dropFirst())
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

    /// Crash-injection hooks exist for the crash tests of debug builds only.
    static func requireDebugBuild(_ variable: String) throws(ConfigError) {
        #if !DEBUG
        throw ConfigError(variable, "is a crash-test hook, available in debug builds only")
        #endif
    }
}
