import Foundation
import Hummingbird
import Logging
import NIOCore
import TradingEngine

/// A loopback fake of the Tradier brokerage REST API (shared/contracts/external-apis.md section 2),
/// quirks included: Bearer token (401 `fault` otherwise), XML unless `Accept: application/json`,
/// form-encoded writes only, one element → object and none → `"null"`, long decimal tails,
/// `errors.error` as array or string (with HTTP 400 or 200), `X-Ratelimit-*` headers with epoch-ms
/// expiry and 429 past the per-minute budget, tags stored but returned only with `includeTags=true`.
/// Scriptable: fills, later rejections, injected failures (502/500/HTML/fault/dropped connection),
/// delays, and a placement whose answer never arrives. Every request is recorded.
public final class TradierFake: Sendable {
    /// The token the fake accepts unless another is given to `init`.
    public static let validToken = "fake-tradier-token-0123456789"
    /// The account the fake serves unless another is given to `init`.
    public static let defaultAccount = "VA000001"

    /// Behaviour switches; change them any time through `settings`.
    public struct Settings: Sendable {
        /// Requests per window of the Standard bucket (`/accounts`, `/user` GETs).
        public var standardPerMinute = 120
        /// Requests per window of the Trading bucket (POST/PUT/DELETE orders).
        public var tradingPerMinute = 60
        /// Requests per window of the Market Data bucket (`/markets`).
        public var marketDataPerMinute = 120
        /// Length of a rate-limit window; it starts at the bucket's first request.
        public var rateLimitWindow: Duration = .seconds(60)
        /// Empty collections as JSON `null` (`{"orders":null}`) instead of the string `"null"`.
        public var emptyAsJSONNull = false
        /// Every answer waits this long.
        public var delay: Duration = .zero
        /// HTTP status of order validation errors (Tradier uses 400, and 200 for some downstream ones).
        public var validationErrorStatus = 400
        /// Status of a freshly accepted order (`open`, `pending`, …).
        public var acceptedStatus = "open"
        /// `margin`, `cash` or `pdt`: which balances sub-object appears.
        public var accountType = "margin"
        public init() {}
    }

    /// An injected failure for the next request(s).
    public enum Failure: Sendable, Hashable {
        /// That status with a short plain-text body (e.g. 502 "Bad Gateway").
        case status(Int)
        /// That status with an HTML maintenance page.
        case html(Int)
        /// A gateway `fault` envelope with that status and `faultstring`.
        case fault(status: Int, message: String)
        /// The connection is closed without an answer.
        case dropConnection
    }

    struct InjectedFailure {
        var failure: Failure
        var method: String?
    }

    struct Bucket {
        var start: Date
        var used: Int
    }

    struct Account {
        var orders: [Int: TradierFakeOrder] = [:]
        var positions: [String: TradierFakePosition] = [:]
        var cash: Decimal = 100_000
    }

    struct State {
        var settings = Settings()
        var accounts: [String: Account] = [:]
        var nextOrderID = 257_459
        var nextPositionID = 130_089
        var quotes: [String: TradierFakeQuote] = [:]
        var minuteBars: [String: [TradierFakeBar]] = [:]
        var dailyBars: [String: [TradierFakeBar]] = [:]
        var stream: TradierStreamFake?
        var requests: [TradierFakeRequest] = []
        var failures: [InjectedFailure] = []
        var buckets: [String: Bucket] = [:]
        var dropAfterNextOrder = false
        var holdNextOrder: Duration?
        var nextOrderErrors: (messages: [String], status: Int, singleString: Bool)?
        var nextPreviewLegacyFailure: String?
        var rateLimitedAnswers = 0
        /// `/markets/calendar` exceptions (holidays, early closes) by date.
        var calendar: [String: CalendarException] = TradierFake.defaultCalendar
    }

    public let accessToken: String
    public let accountID: String
    let state = Shared(State())
    private let server = LoopbackServer()

    public init(accessToken: String = TradierFake.validToken, accountID: String = TradierFake.defaultAccount) {
        self.accessToken = accessToken
        self.accountID = accountID
        state.withLock { $0.accounts[accountID] = Account() }
    }

    /// The loopback port, known after `start()`.
    public var port: Int { server.port }
    /// `http://127.0.0.1:<port>/v1/`, the value for `TradierConfiguration.baseURL`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1/") ?? URL(fileURLWithPath: "/") }

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    // MARK: inspection

    /// Every request received, in order.
    public var requests: [TradierFakeRequest] { state.withLock { $0.requests } }
    public func clearRequests() { state.withLock { $0.requests.removeAll() } }
    /// How many requests were answered 429.
    public var rateLimitedAnswers: Int { state.withLock { $0.rateLimitedAnswers } }
    /// Orders of the default account, by id.
    public var orders: [TradierFakeOrder] { state.withLock { ($0.accounts[accountID]?.orders.values).map { $0.sorted { $0.id < $1.id } } ?? [] } }
    public func order(id: Int) -> TradierFakeOrder? { state.withLock { $0.accounts[accountID]?.orders[id] } }
    public func order(tag: String) -> TradierFakeOrder? { orders.first { $0.tag == tag } }
    public var positions: [TradierFakePosition] { state.withLock { ($0.accounts[accountID]?.positions.values).map { $0.sorted { $0.symbol < $1.symbol } } ?? [] } }
    public var cash: Decimal { state.withLock { $0.accounts[accountID]?.cash ?? 0 } }

    // MARK: scripting

    /// The next `count` requests (of `method` only, when given) fail with `failure`.
    public func failNext(_ failure: Failure, count: Int = 1, method: String? = nil) {
        state.withLock { $0.failures += Array(repeating: InjectedFailure(failure: failure, method: method?.uppercased()), count: count) }
    }

    /// The next placement is stored (and works like any order) but its connection is closed
    /// before the answer: the client sees a dropped connection or a timeout.
    public func dropConnectionAfterNextOrder() {
        state.withLock { $0.dropAfterNextOrder = true }
    }

    /// The next placement is held for `duration` before it is stored and answered, as a broker
    /// that is slow to acknowledge: a client with a shorter timeout gives up first, and lookups
    /// by tag find nothing until the hold ends.
    public func holdNextOrder(for duration: Duration) {
        state.withLock { $0.holdNextOrder = duration }
    }

    /// Order placements received (POSTs to the orders endpoint that are not previews).
    public var placements: [TradierFakeRequest] {
        requests.filter { $0.method == "POST" && $0.path.hasSuffix("/orders") && $0.form["preview"] != "true" }
    }

    /// The next order POST (placement or preview) is refused with `{"errors":{"error":…}}`.
    public func failNextOrder(errors: [String], status: Int = 400, singleString: Bool = false) {
        state.withLock { $0.nextOrderErrors = (errors, status, singleString) }
    }

    /// The next preview answers HTTP 200 with the legacy failing shape
    /// `{"order":{"errors":"<message>","result":false,"status":"Bad Request"}}`.
    public func failNextPreview(legacyMessage: String) {
        state.withLock { $0.nextPreviewLegacyFailure = legacyMessage }
    }

    /// A quote with bid = ask = last and no day range (as before the open).
    public func setQuote(_ symbol: String, last: Decimal) {
        setQuote(TradierFakeQuote(symbol: symbol, last: last))
    }

    /// The quote `GET/POST /v1/markets/quotes` answers for its symbol.
    public func setQuote(_ quote: TradierFakeQuote) {
        state.withLock { $0.quotes[quote.symbol] = quote }
    }

    /// Minute bars `GET /v1/markets/timesales` serves for `symbol`.
    public func setMinuteBars(_ symbol: String, _ bars: [TradierFakeBar]) {
        state.withLock { $0.minuteBars[symbol] = bars }
    }

    /// Daily bars `GET /v1/markets/history` serves for `symbol`.
    public func setDailyBars(_ symbol: String, _ bars: [TradierFakeBar]) {
        state.withLock { $0.dailyBars[symbol] = bars }
    }

    /// The market stream whose sessions `POST /v1/markets/events/session` issues; without one
    /// that endpoint refuses (an account without streaming).
    public func attach(_ stream: TradierStreamFake) {
        state.withLock { $0.stream = stream }
    }

    public func setCash(_ cash: Decimal) {
        state.withLock { $0.accounts[accountID]?.cash = cash }
    }

    /// Sets (or with quantity 0 removes) a position; `costBasis` is the total cost.
    public func setPosition(_ symbol: String, quantity: Decimal, costBasis: Decimal, acquired: Date = Date()) {
        state.withLock { state in
            guard quantity != 0 else { state.accounts[accountID]?.positions[symbol] = nil; return }
            state.nextPositionID += 1
            state.accounts[accountID]?.positions[symbol] = TradierFakePosition(
                id: state.nextPositionID, symbol: symbol, quantity: quantity, costBasis: costBasis, dateAcquired: acquired)
        }
    }

    /// Adds an order as if placed elsewhere (web, another app); returns its id.
    @discardableResult
    public func insertOrder(_ order: TradierFakeOrder) -> Int {
        state.withLock { state in
            var order = order
            state.nextOrderID += 1
            order.id = state.nextOrderID
            state.accounts[accountID, default: Account()].orders[order.id] = order
            return order.id
        }
    }

    /// Executes `quantity` (default: all that remains) at `price`: exec quantity, average and last
    /// fill price, status `filled`/`partially_filled`, the position and the cash all move.
    @discardableResult
    public func fillOrder(id: Int, price: Decimal, quantity: Decimal? = nil) -> Bool {
        state.withLock { state in
            guard var account = state.accounts[accountID], let order = account.orders[id], !order.isFinal else { return false }
            let amount = min(quantity ?? order.remainingQuantity, order.remainingQuantity)
            guard amount > 0 else { return false }
            account.orders[id] = order.filling(amount, at: price)
            account.apply(fill: order, quantity: amount, price: price, positionID: &state.nextPositionID)
            state.accounts[accountID] = account
            return true
        }
    }

    /// Rejects an accepted order afterwards (risk/downstream), with `reason_description`.
    @discardableResult
    public func rejectOrder(id: Int, reason: String) -> Bool {
        setStatus(id: id, "rejected", reason: reason)
    }

    /// Sets any status (`expired`, `canceled`, `pending`, `error` …).
    @discardableResult
    public func setStatus(id: Int, _ status: String, reason: String? = nil) -> Bool {
        state.withLock { state in
            guard state.accounts[accountID]?.orders[id] != nil else { return false }
            state.accounts[accountID]?.orders[id]?.status = status
            state.accounts[accountID]?.orders[id]?.reasonDescription = reason
            state.accounts[accountID]?.orders[id]?.transactionDate = Date()
            return true
        }
    }

    /// Makes an order older than today: it then appears only with `filter=all`.
    public func makeHistorical(id: Int) {
        state.withLock { $0.accounts[accountID]?.orders[id]?.intraday = false }
    }

    // MARK: lifecycle

    /// Starts listening on 127.0.0.1 (a free port) and returns once the port is known.
    public func start() async throws {
        let responder = CallbackResponder<TradierFakeContext> { request, context in
            try await self.respond(to: request, context: context)
        }
        await server.start { onServerRunning in
            Application(
                responder: responder,
                configuration: LoopbackServer.configuration, onServerRunning: onServerRunning,
                logger: LoopbackServer.quietLogger("tradier-fake"))
        }
    }

    public func stop() async {
        await server.stop()
    }
}

/// The request context of the fake: keeps the channel so an answer can be "lost".
public struct TradierFakeContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
