import AsyncHTTPClient
import Discord
import Foundation
import Hummingbird
import Logging
import Persistence
import ServiceLifecycle
import TradingDomain
import TradingEngine

/// Everything the server is made of, wired in one place. `trading-assistant serve` and the tests
/// both go through `buildApplication`, so tests exercise the real wiring.
public struct AppComponents: Sendable {
    public let config: AppConfig
    public let apiKey: APIKeyStore.Resolved
    public let store: Store
    public let readiness: ReadinessRegistry
    public let routes: RouteTable
    public let logger: Logger
    public let bus: EventBus
    public let market: MarketDataService
    public let alerts: AlertEngine
    public let outbox: OutboxDispatcher
    public let orders: OrderDesk
    public let risk: RiskEngine
    public let coach: CoachService
    /// The market calendar (sessions, holidays, provider refresh).
    public let calendar: MarketCalendarService
    package let webSocketTokens: WebSocketTokens
    let sessions: AuthSessions
}

public enum AppVersion {
    public static let current = "0.1.0"
}

/// Makes loggers that write structured lines with secrets removed.
public struct LoggerFactory: Sendable {
    public let level: Logger.Level
    public let format: StructuredLogHandler.Format
    public let redactor: SecretRedactor
    public let sink: LogSink

    public init(config: AppConfig, extraSecrets: [String] = [], sink: LogSink = .standardError) {
        level = config.logLevel
        format = config.logFormat == .json ? .json : .logfmt
        redactor = SecretRedactor(secrets: config.secrets + extraSecrets)
        self.sink = sink
    }

    public func make(_ label: String) -> Logger {
        Logger(label: label) { label in
            StructuredLogHandler(label: label, level: level, format: format, redactor: redactor, sink: sink)
        }
    }
}

/// Builds the application: resolves the API key, opens and migrates the database, builds the router.
/// - Parameter marketFeed: replaces the configured market-data feed (benchmarks drive their own).
/// - Parameter announce: receives the dashboard URL once the server listens (the real port, even for port 0).
/// - Parameter loginCodeInBanner: whether that line may carry a one-time login code (only when the
///   key was generated, see `StartupBanner`); by default when standard output is a terminal.
///   `trading-assistant mcp` passes false.
public func buildApplication(
    config: AppConfig,
    logSink: LogSink = .standardError,
    clock: any WallClock = SystemWallClock(),
    marketFeed: (any MarketDataFeed)? = nil,
    loginCodeInBanner: Bool = StartupBanner.standardOutputIsTerminal,
    announce: @escaping @Sendable (String) -> Void = { line in
        // Straight to stdout and flushed: the URL must appear even when output is piped.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
) async throws -> (application: some ApplicationProtocol, components: AppComponents) {
    // The data folder is owner-only (0700) whatever the umask, also when it already existed.
    try FilePermissions.secureDirectory(config.dataDirectory)
    let apiKey = try APIKeyStore.resolve(configured: config.apiKey, dataDirectory: config.dataDirectory)
    if !config.isLoopbackHost && apiKey.generated {
        throw ConfigError("TA_HOST", "is '\(config.host)', which is reachable from other machines; set TA_API_KEY explicitly to allow that")
    }
    let loggers = LoggerFactory(config: config, extraSecrets: [apiKey.key], sink: logSink)
    let logger = loggers.make("trading-assistant")
    // TA_TEST_NOW (debug builds): real time from a pinned start, unless a test passed its own clock.
    var clock = clock
    if let start = config.testHooks.now, clock is SystemWallClock {
        clock = ShiftedWallClock(startingAt: start)
        logger.warning("test clock: the server's time starts at TA_TEST_NOW", metadata: ["start": .string(ISO8601.format(start))])
    }

    let store = try Store(location: config.storeLocation, logger: loggers.make("database"), readers: config.databaseReaders)
    do {
        try await store.migrate()
    } catch {
        await store.shutdown()
        throw error
    }

    let http = OutboundHTTP()
    do {
        return try await assembleApplication(
            config: config, apiKey: apiKey, store: store, http: http, loggers: loggers, logger: logger, clock: clock,
            marketFeed: marketFeed, loginCodeInBanner: loginCodeInBanner, announce: announce)
    } catch {
        // Nothing runs yet: close the database and the HTTP client here, or they would outlive the failed start.
        await http.shutdown()
        await store.shutdown()
        throw error
    }
}

/// Everything after the database is open: engines, adapters, routes and the services to run.
func assembleApplication(
    config: AppConfig, apiKey: APIKeyStore.Resolved, store: Store, http: OutboundHTTP, loggers: LoggerFactory, logger: Logger,
    clock: any WallClock, marketFeed: (any MarketDataFeed)?, loginCodeInBanner: Bool,
    announce: @escaping @Sendable (String) -> Void
) async throws -> (application: some ApplicationProtocol, components: AppComponents) {
    let engines = try await Engines.build(config: config, store: store, http: http.client, loggers: loggers, clock: clock, marketFeed: marketFeed)
    let (readiness, settings, plans, watchlist, bus, market) =
        (engines.readiness, engines.settings, engines.plans, engines.watchlist, engines.bus, engines.market)
    let (planning, alertRepository, alerts, outboxRepository, outbox, risk, orderDesk) =
        (engines.planning, engines.alertRepository, engines.alerts, engines.outboxRepository, engines.outbox, engines.risk, engines.orders)

    let routes = RouteTable()
    let router = Router(context: AppRequestContext.self)
    let httpMetrics = HTTPMetrics()
    let authFailures = AuthFailureLimiter(limit: config.authFailuresPerMinute, clock: clock)
    let sessions = AuthSessions(clock: clock)
    let auth = Authenticator(key: apiKey.key, sessions: sessions, failures: authFailures)
    router.add(middleware: RequestLogMiddleware(logger: logger, maxBodyBytes: config.maxBodyBytes, metrics: httpMetrics))
    router.add(middleware: AllowlistCORSMiddleware(allowedOrigins: Set(config.corsOrigins)))
    router.add(middleware: ProblemMiddleware(routes: routes, logger: logger))

    HealthController(readiness: readiness, startedAt: Date(), version: AppVersion.current, auth: auth).register(on: router)
    try StaticController(publicDirectory: config.publicDirectory).register(on: router)
    let authController = AuthController(auth: auth)
    authController.registerLogin(on: router)

    let hub = WebSocketHub(bus: bus)
    let webSocketTokens = WebSocketTokens(clock: clock)
    let webSockets = WebSocketController(
        hub: hub, tokens: webSocketTokens, quotes: market.cache, market: market, calendar: engines.calendar,
        allowedOrigins: Set(config.corsOrigins), bindHost: config.host, maxClients: config.maxWebSocketClients, clock: clock, logger: logger)
    webSockets.registerUpgrade(on: router)

    let keyCheck = APIKeyMiddleware(auth: auth)
    let api = router.group("api/v1").add(middleware: keyCheck)
    authController.register(on: api)
    SettingsController(service: settings).register(on: api)
    WatchlistController(service: watchlist).register(on: api)
    MarketController(market: market, clock: clock).register(on: api)
    MarketSessionController(calendar: engines.calendar, simulatedSession: engines.simulatedSession, clock: clock).register(on: api)
    webSockets.registerTokenRoute(on: api)
    JournalController(repository: engines.journal, plans: plans, clock: clock).register(on: api)
    JournalViewsController(
        repository: engines.journal, reviews: engines.reviews, plans: plans, settings: settings, calendar: engines.calendar).register(on: api)
    JournalImportController(repository: engines.journal, importer: JournalImporter(journal: engines.journal, clock: clock))
        .register(on: api)
    PlanningController(service: planning).register(on: api)
    AlertsController(repository: alertRepository, engine: alerts, maxAlerts: config.maxAlerts, clock: clock).register(on: api)
    PlansController(repository: plans, planning: planning, clock: clock).register(on: api)
    OrdersController(desk: orderDesk, quotes: market.cache, day: risk.day, clock: clock).register(on: api)
    RiskController(engine: risk).register(on: api)
    let toolbox = TradingToolbox(
        market: market, planning: planning, alerts: alerts, alertRepository: alertRepository, maxAlerts: config.maxAlerts,
        desk: orderDesk, risk: risk, journal: engines.journal, settings: settings, clock: clock, calendar: engines.calendar)
    let coach = CoachService(
        backend: try CoachWiring.makeBackend(config: config, http: http.client, loggers: loggers), toolbox: toolbox,
        conversations: FluentConversationRepository(store: store), clock: clock, logger: loggers.make("coach"))
    CoachController(service: coach).register(on: api)
    NotificationsController(
        settings: settings, outbox: outboxRepository, dispatcher: outbox, notifier: engines.notifier, clock: clock
    ).register(on: api)
    DiagnosticsController(
        config: config, hub: hub, alerts: alerts, market: market, store: store, failures: authFailures
    ).register(on: api)
    MetricsController(
        http: httpMetrics, market: market, alerts: alerts, hub: hub, outbox: outbox, outboxRepository: outboxRepository,
        orders: orderDesk, clock: clock
    ).register(on: router.group().add(middleware: keyCheck))
    routes.record(router)

    let components = AppComponents(
        config: config, apiKey: apiKey, store: store, readiness: readiness, routes: routes, logger: logger,
        bus: bus, market: market, alerts: alerts, outbox: outbox, orders: orderDesk, risk: risk, coach: coach,
        calendar: engines.calendar, webSocketTokens: webSocketTokens, sessions: sessions)
    let host = config.host
    let keySource: StartupBanner.KeySource = config.apiKey != nil
        ? .configured
        : .stored(path: apiKey.path ?? URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("api_key").path)
    let showCode = loginCodeInBanner && StartupBanner.showsLoginCode(keySource: keySource, stdoutIsTerminal: true)
    let application = Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "trading-assistant"),
        // Stopped in reverse order: the engines, then the HTTP client they use, then the database.
        services: [store, http] + engines.services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? config.port
            logger.info("listening", metadata: ["host": .string(host), "port": .stringConvertible(port)])
            let code = showCode ? sessions.issueCode().code : nil
            announce(StartupBanner.line(host: host, port: port, keySource: keySource, loginCode: code))
        },
        logger: logger
    )
    return (application, components)
}

/// `trading-assistant migrate`: opens the database, applies pending migrations, closes it.
public func runMigrations(config: AppConfig) async throws {
    let loggers = LoggerFactory(config: config)
    let store = try Store(location: config.storeLocation, logger: loggers.make("database"), readers: config.databaseReaders)
    do {
        try await store.migrate()
    } catch {
        await store.shutdown()
        throw error
    }
    await store.shutdown()
}

/// The crash-test seam: dies at once, as `kill -9` would (no flush, no shutdown).
@Sendable func crashNow() {
    _ = kill(getpid(), SIGKILL)
}
