import AsyncHTTPClient
import Discord
import Foundation
import Logging
import Persistence
import ServiceLifecycle
import TradingDomain
import TradingEngine

/// Every engine and adapter, built once, each with its ports, sinks and gates given at
/// construction (no registration afterwards, so the order of calls cannot matter). The router and
/// the services are built from this (docs/architecture.md, "Configuration and wiring").
struct Engines: Sendable {
    let settings: SettingsService
    let plans: FluentPlanRepository
    let watchlist: WatchlistService
    let journal: FluentJournalRepository
    let bus: EventBus
    let market: MarketDataService
    let planning: PlanningService
    let alertRepository: FluentAlertRepository
    let alerts: AlertEngine
    let outboxRepository: FluentOutboxRepository
    let notifier: DiscordNotifier
    let outbox: OutboxDispatcher
    let broker: any BrokerPort
    let risk: RiskEngine
    let orders: OrderDesk
    /// Trade reviews of the journal (MAE/MFE from the market's bars; docs/journal.md).
    let reviews: TradeReviewService
    let readiness: ReadinessRegistry
    /// The market calendar (built in, refreshed from the provider); every engine reads sessions here.
    let calendar: MarketCalendarService
    /// Announces each session change as a `status` event.
    let sessions: MarketSessionAnnouncer
    /// `calendar` or `always_open` when the market is simulated, else nil (`sim_session`).
    let simulatedSession: String?

    static func build(
        config: AppConfig, store: Store, http: HTTPClient, loggers: LoggerFactory, clock: any WallClock, marketFeed: (any MarketDataFeed)?
    ) async throws -> Engines {
        let readiness = ReadinessRegistry()
        readiness.register("database") {
            try await store.ping()
            return "\(store.backend) reachable"
        }
        let settings = SettingsService(repository: FluentSettingsRepository(store: store))
        let plans = FluentPlanRepository(store: store)
        let watchlist = WatchlistService(repository: FluentWatchlistRepository(store: store))
        let bus = EventBus()
        // Market data: the feed and the quote cache first; the market's subscribers (alerts, the
        // paper broker) are built on them and handed to the market-data service.
        let marketLogger = loggers.make("market-data")
        // The calendar first: the simulated market trades by it, and Polygon's REST client (one
        // request budget) serves both the calendar and the snapshots.
        let polygonREST = marketFeed == nil ? try MarketWiring.polygonREST(config: config, http: http, clock: clock, logger: marketLogger) : nil
        let calendar = MarketCalendarService(
            provider: CalendarWiring.makeProvider(config: config, polygonREST: polygonREST, http: http, loggers: loggers),
            clock: clock, logger: loggers.make("calendar"))
        let sessions = MarketSessionAnnouncer(calendar: calendar, bus: bus, clock: clock, logger: loggers.make("calendar"))
        // The calendar every session rule follows (docs/orders.md, docs/alerts.md, docs/operations.md):
        // the market's, except in the simulator's demo mode, whose market never closes.
        let demo = config.marketData == .simulated && config.simulation.session == .alwaysOpen
        let trading: any MarketCalendarSource = demo ? FixedMarketCalendar(.alwaysOpenDemo) : calendar
        let (feed, snapshots) = try MarketWiring.makeFeed(
            config: config, http: http, clock: clock, logger: marketLogger, calendar: calendar, polygonREST: polygonREST, feedOverride: marketFeed)
        let staleAfter = TimeInterval(config.staleAfterSeconds)
        let cache = QuoteCache(clock: clock, bus: bus, staleAfter: staleAfter, provider: feed.provider, calendar: trading)
        let streamIsFresh: @Sendable () -> Bool = {
            isFeedReady(feed.status(), now: clock.now(), staleAfter: staleAfter, calendar: trading.calendar())
        }

        let alertRepository = FluentAlertRepository(store: store)
        let alerts = AlertEngine(
            repository: alertRepository, bus: bus, clock: clock, logger: loggers.make("alerts"),
            pollInterval: .seconds(Int64(config.alertPollSeconds)),
            beforeCommit: config.testHooks.crashBeforeAlertCommit ? crashNow : nil,
            forwarding: { try await settings.current().discord },
            quotes: cache, snapshots: snapshots, streamIsFresh: streamIsFresh, calendar: trading)
        try await alerts.load()
        let (broker, brokerSubscriber) = try await BrokerWiring.makeBroker(
            config: config, http: http, store: store, cache: cache, clock: clock, loggers: loggers, calendar: trading)
        let market = MarketDataService(
            feed: feed, snapshots: snapshots, cache: cache, bus: bus, watchlist: watchlist, clock: clock, logger: marketLogger,
            subscribers: [alerts] + (brokerSubscriber.map { [$0] } ?? []), calendar: trading)
        // Silence is judged only while the regular session is open; outside it a connected feed is
        // ready and the market quiet (docs/operations.md, "Staleness and sessions").
        readiness.register("market_data") {
            let status = market.feed.status()
            guard market.isFresh else {
                throw ReadinessFailure("\(status.provider) \(status.state.rawValue)" + (status.detail.isEmpty ? "" : ": \(status.detail)")
                    + (status.state == .connected ? "; no data for over \(Int(market.cache.staleAfter)) s during the session" : ""))
            }
            return market.isQuiet ? "\(status.provider) connected; market quiet (\(market.session.rawValue))" : "\(status.provider) live"
        }

        let outboxRepository = FluentOutboxRepository(store: store)
        let notifier = DiscordNotifier(
            sender: DiscordWebhookClient(apiBase: config.testHooks.discordAPIBase, http: http, logger: loggers.make("discord")),
            settings: settings, clock: clock)
        let outbox = OutboxDispatcher(
            repository: outboxRepository, notifier: notifier, forwarding: .discord(settings), bus: bus, clock: clock,
            logger: loggers.make("outbox"))

        let orderRepository = FluentOrderRepository(store: store)
        let risk = RiskEngine(
            broker: broker, orders: orderRepository, repository: FluentRiskRepository(store: store),
            quotes: cache, settings: settings, bus: bus, clock: clock, logger: loggers.make("risk"),
            interval: .seconds(Int64(config.riskIntervalSeconds)), calendar: trading)
        try await risk.load()
        let crashPoint = config.testHooks.crashAtOrder.flatMap(OrderCrashPoint.init(rawValue:))
        let orders = OrderDesk(
            broker: broker, orders: orderRepository, plans: plans, quotes: cache,
            settings: settings, bus: bus, clock: clock, logger: loggers.make("orders"),
            marketReady: { market.isFresh }, gates: [risk], simulatedPrices: config.realBrokerOnSimulatedPrices, alarm: risk,
            unknownProofWindow: TimeInterval(config.unknownProofSeconds), calendar: trading,
            crash: crashPoint.map { point in { @Sendable reached in if reached == point { crashNow() } } })
        readiness.register("broker") {
            if let reason = orders.reconciliationState.blockReason { throw ReadinessFailure(reason) }
            return "\(broker.name) (\(broker.environment)) reconciled"
        }
        return Engines(
            settings: settings, plans: plans, watchlist: watchlist, journal: FluentJournalRepository(store: store), bus: bus,
            market: market, planning: PlanningService(settings: settings, market: market, brokerAccount: { try await broker.account() }), alertRepository: alertRepository,
            alerts: alerts, outboxRepository: outboxRepository, notifier: notifier, outbox: outbox, broker: broker, risk: risk,
            orders: orders,
            reviews: TradeReviewService(
                orders: orderRepository, journal: FluentJournalRepository(store: store), plans: plans, bars: snapshots, calendar: trading, logger: loggers.make("journal")),
            readiness: readiness, calendar: calendar, sessions: sessions,
            simulatedSession: marketFeed == nil && config.marketData == .simulated ? config.simulation.session.rawValue : nil)
    }

    /// The long-running services, in start order (the store is added by the caller).
    var services: [any Service] { [calendar, sessions, alerts, outbox, broker, orders, risk, market] }
}
