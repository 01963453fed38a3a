import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import TradingDomain
import TradingEngine
import Synchronization

/// The Tradier brokerage adapter (docs/vendors.md §2).
///
/// Orders carry our client order id as Tradier's `tag`; every read asks for `includeTags=true`.
/// Writes (place, preview, modify, cancel) are sent once and never retried: a placement that
/// times out is found later by its tag (the poller keeps looking for it for a while).
///
/// Updates come from polling `GET /accounts/{id}/orders?includeTags=true` every `pollInterval`
/// while an order we placed or saw is working, spaced further when the rate-limit window runs
/// low. Polling also catches the documented "200 on placement, rejected downstream later" case.
/// Tradier's account-event WebSocket (beta, `wss://ws.tradier.com/v1/accounts/events`, events
/// without symbol or side) could shorten the delay; it is optional and not used: polling is the
/// required, always-available path.
public final class TradierBroker: BrokerPort, Sendable {
    /// `tradier`.
    public let name = "tradier"
    /// `sandbox` or `live`.
    public let environment: String

    let accountID: String
    let pollInterval: Duration
    let client: TradierHTTP
    let tracker = TradierOrderTracker()
    let logger: Logger
    /// How long after a placement without an answer the poller keeps looking for its tag.
    let unknownPlacementWindow: TimeInterval
    let stream: AsyncStream<BrokerUpdate>
    let continuation: AsyncStream<BrokerUpdate>.Continuation
    /// Orders of `filter=all` (a month), cached briefly: the docs warn against polling it.
    let historyCache = Mutex<(fetched: Date, orders: [TradierOrder])?>(nil)
    static let historyCacheLifetime: TimeInterval = 30

    /// Throws `TradierConfigurationError` when `configuration.validate()` does (e.g. live
    /// without `allowLive`: "live trading needs TA_ALLOW_LIVE_TRADING=true").
    public init(
        configuration: TradierConfiguration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "tradier"), unknownPlacementWindow: TimeInterval = 300
    ) throws(TradierConfigurationError) {
        try configuration.validate()
        environment = configuration.environment.rawValue
        accountID = configuration.accountID
        pollInterval = configuration.pollInterval
        client = TradierHTTP(configuration: configuration, http: httpClient, logger: logger)
        self.logger = logger
        self.unknownPlacementWindow = unknownPlacementWindow
        (stream, continuation) = AsyncStream<BrokerUpdate>.makeStream()
    }

    var accountPath: String { "accounts/\(TradierWire.percentEncode(accountID))" }

    // MARK: BrokerPort

    public func account() async throws(BrokerError) -> BrokerAccount {
        try TradierWire.account(try await client.get("\(accountPath)/balances"))
    }

    public func positions() async throws(BrokerError) -> [BrokerPosition] {
        try TradierWire.positions(try await client.get("\(accountPath)/positions"))
    }

    public func orders() async throws(BrokerError) -> [BrokerOrder] {
        let (orders, updates) = tracker.ingest(try await listOrders(history: false))
        emit(updates)
        return orders
    }

    public func order(clientOrderID: String) async throws(BrokerError) -> BrokerOrder? {
        guard TradierWire.isValidTag(clientOrderID) else { return nil }
        if let found = try await listOrders(history: false).first(where: { $0.tag == clientOrderID }) {
            return observe(found)
        }
        guard let old = try await history().first(where: { $0.tag == clientOrderID }) else { return nil }
        // Membership comes from the cached month; the state is fetched fresh.
        let fresh = try TradierWire.singleOrder(try await client.get("\(accountPath)/orders/\(old.id)", query: [("includeTags", "true")]))
        return observe(fresh)
    }

    public func preview(_ request: OrderRequest) async throws(BrokerError) -> OrderPreview {
        let form = try TradierWire.orderForm(request, clientOrderID: Self.previewTag, preview: true)
        do {
            return try TradierWire.preview(try await client.write(.POST, "\(accountPath)/orders", form: form), request: request)
        } catch {
            // A preview places nothing: a lost answer is only unavailability.
            if case .outcomeUnknown(let detail) = error { throw .unavailable(detail) }
            throw error
        }
    }

    /// Tag sent with previews (Tradier validates it like a real order's).
    static let previewTag = "preview"

    public func place(_ request: OrderRequest, clientOrderID: String) async throws(BrokerError) -> String {
        let form = try TradierWire.orderForm(request, clientOrderID: clientOrderID)
        let id: String
        do {
            id = try TradierWire.placement(try await client.write(.POST, "\(accountPath)/orders", form: form))
        } catch {
            if !error.provesNotPlaced {
                // The order may exist even though no usable answer came back: look for its tag.
                tracker.expect(clientOrderID: clientOrderID, request: request, until: Date().addingTimeInterval(unknownPlacementWindow))
                if case .malformed(let detail) = error { throw .outcomeUnknown(detail) }
            }
            throw error
        }
        tracker.placed(brokerOrderID: id, clientOrderID: clientOrderID, request: request)
        logger.info("tradier order placed", metadata: ["client_order_id": .string(clientOrderID), "broker_order_id": .string(id)])
        return id
    }

    public func cancel(brokerOrderID: String) async throws(BrokerError) {
        do {
            _ = try TradierWire.acknowledgement(try await client.write(.DELETE, "\(accountPath)/orders/\(TradierWire.percentEncode(brokerOrderID))", form: nil))
        } catch where TradierWire.isAlreadyFinal(error) {
            logger.info("tradier cancel of a finalized order ignored", metadata: ["broker_order_id": .string(brokerOrderID)])
        }
        tracker.requestWake()
    }

    public func modify(brokerOrderID: String, _ change: OrderChange) async throws(BrokerError) {
        let form = TradierWire.modifyForm(change)
        guard !form.isEmpty else { return }
        _ = try TradierWire.acknowledgement(try await client.write(.PUT, "\(accountPath)/orders/\(TradierWire.percentEncode(brokerOrderID))", form: form))
        tracker.requestWake()
    }

    public func updates() -> AsyncStream<BrokerUpdate> { stream }

    /// Polls for order changes until graceful shutdown (or cancellation), then ends `updates()`.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.pollLoop()
        }
        continuation.finish()
    }

    /// Requests left in the tightest rate-limit window and when it resets (nil before any answer).
    public func rateLimitHeadroom() -> (available: Int?, resetsAt: Date?) {
        client.headroom()
    }

    // MARK: internals

    private func observe(_ order: TradierOrder) -> BrokerOrder {
        let (orders, updates) = tracker.ingest([order])
        emit(updates)
        return orders.first ?? order.order
    }

    private func emit(_ updates: [BrokerUpdate]) {
        for update in updates { continuation.yield(update) }
    }

    /// Orders of today (or of the last month with `history`), following pages of 100.
    func listOrders(history: Bool) async throws(BrokerError) -> [TradierOrder] {
        let pageSize = 100
        var orders: [TradierOrder] = []
        var seen: Set<String> = []
        for page in 1...10 {
            var query = [("includeTags", "true"), ("page", "\(page)"), ("limit", "\(pageSize)")]
            if history { query.append(("filter", "all")) }
            let list = try TradierWire.orders(try await client.get("\(accountPath)/orders", query: query))
            for problem in list.skipped { logger.debug("tradier order skipped", metadata: ["reason": .string(problem)]) }
            let fresh = list.orders.filter { seen.insert($0.id).inserted }
            orders += fresh
            if list.orders.count + list.skipped.count < pageSize || fresh.isEmpty { break }
        }
        return orders
    }

    private func history() async throws(BrokerError) -> [TradierOrder] {
        if let cached = historyCache.withLock({ $0 }), Date().timeIntervalSince(cached.fetched) < Self.historyCacheLifetime {
            return cached.orders
        }
        let orders = try await listOrders(history: true)
        historyCache.withLock { $0 = (Date(), orders) }
        return orders
    }

    func pollLoop() async {
        var failures = 0
        while !Task.isCancelled {
            if tracker.needsPolling() {
                do {
                    try await pollOnce()
                    failures = 0
                } catch {
                    failures += 1
                    logger.warning("tradier order poll failed", metadata: ["error": .string(error.description), "failures": .stringConvertible(failures)])
                }
            }
            var delay = client.pollSpacing(base: pollInterval)
            if failures > 0 { delay = min(delay * (1 << min(failures, 4)), max(delay, .seconds(30))) }
            await pause(delay)
        }
    }

    /// One poll: today's orders, plus working orders that are not in that list fetched one by one (at most 5).
    func pollOnce() async throws(BrokerError) {
        let listed = try await listOrders(history: false)
        var observed = listed
        let listedIDs = Set(listed.map(\.id))
        for id in tracker.workingOrderIDs().filter({ !listedIDs.contains($0) }).prefix(5) {
            do {
                observed.append(try TradierWire.singleOrder(try await client.get("\(accountPath)/orders/\(id)", query: [("includeTags", "true")])))
            } catch {
                logger.warning("tradier order lookup failed", metadata: ["broker_order_id": .string(id), "error": .string(error.description)])
            }
        }
        emit(tracker.ingest(observed).updates)
    }

    /// Sleeps `delay`, returning early when a place/cancel/modify asked for a prompt poll.
    private func pause(_ delay: Duration) async {
        let slice = min(delay, .milliseconds(50))
        var waited = Duration.zero
        while waited < delay, !Task.isCancelled {
            if tracker.takeWake() { return }
            try? await Task.sleep(for: slice)
            waited += slice
        }
    }
}
