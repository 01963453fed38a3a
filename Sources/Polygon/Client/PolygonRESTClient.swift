import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TradingDomain
import TradingEngine

/// Polygon/Massive REST (docs/vendors.md §1.4–1.6): Bearer auth, one batched snapshot call for
/// many symbols, aggregates with `next_url` paging (a page cap guards against cursor loops).
/// Calls go through a `RequestBudget`: on the free plan at most `requestsPerMinute` start a
/// minute, on a paid plan there is no minute budget; either way a 429 pauses every call
/// (Retry-After when given, else `rateLimitWait`, doubled on the next 429) and the alert poll and
/// catch-up (snapshots, `urgent`) go before charts, ATR and previous closes (`background`).
/// Only GETs are made, and only they are retried.
public final class PolygonRESTClient: MarketSnapshotSource, Sendable {
    let urls: PolygonURLs
    let apiKey: String
    let http: HTTPClient
    let budget: RequestBudget
    let logger: Logger
    let maxPages: Int
    let timeout: TimeAmount
    /// First pause after a 429 without `Retry-After` (doubled for the next one).
    let rateLimitWait: Duration
    public let plan: PolygonPlan

    /// `requestsPerMinute` is the free plan's budget (ignored on a paid plan). `rateLimitWait`
    /// defaults to one free-plan slot (12 s) on the free plan and 1 s on a paid one.
    public init(
        restBase: String, apiKey: String, plan: PolygonPlan = .free, requestsPerMinute: Int, http: HTTPClient = .shared,
        clock: any WallClock = SystemWallClock(), logger: Logger, maxPages: Int = 10, timeout: TimeAmount = .seconds(10),
        rateLimitWait: Duration? = nil
    ) throws {
        guard let urls = PolygonURLs(restBase: restBase) else {
            throw MarketDataError.malformed("POLYGON_REST_URL '\(restBase)' is not a usable base URL")
        }
        self.urls = urls
        self.apiKey = apiKey
        self.http = http
        self.plan = plan
        budget = RequestBudget(perMinute: plan == .free ? requestsPerMinute : nil, clock: clock)
        self.logger = logger
        self.maxPages = maxPages
        self.timeout = timeout
        self.rateLimitWait = rateLimitWait ?? (plan == .free ? .seconds(12) : .seconds(1))
    }

    /// Stocks from one batched stocks snapshot, option contracts from one batched universal
    /// snapshot (both `urgent`). An option call that fails (a plan without options) is logged and
    /// leaves the options out rather than failing the stocks.
    public func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] {
        var snapshots: [MarketSnapshot] = []
        if let url = urls.snapshot(for: symbols) {
            snapshots += try PolygonRESTParser.snapshots(try await get(url, priority: .urgent))
        }
        if let url = urls.optionSnapshot(for: symbols) {
            do {
                snapshots += try PolygonRESTParser.optionSnapshots(try await get(url, priority: .urgent))
            } catch let error as CancellationError {
                throw error
            } catch {
                logger.warning("polygon option snapshot failed", metadata: ["error": .string("\(error)")])
            }
        }
        return Dictionary(snapshots.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        var bars: [Bar] = []
        var next: URL? = urls.bars(for: symbol, timespan: timespan, from: from, to: to, limit: 50_000)
        var pages = 0
        while let url = next, pages < maxPages {
            let page = try PolygonRESTParser.bars(try await get(url, priority: .background), symbol: symbol, timespan: timespan)
            bars.append(contentsOf: page.bars)
            pages += 1
            next = page.nextURL.flatMap { urls.next($0) }
            if page.nextURL != nil && next == nil {
                logger.warning("polygon next_url refused (another host)", metadata: ["next_url": .string(page.nextURL ?? "")])
            }
        }
        if next != nil { logger.warning("polygon bars truncated at the page cap", metadata: ["pages": .stringConvertible(maxPages)]) }
        return Array(bars.suffix(limit))
    }

    public func previousClose(for symbol: Symbol) async throws -> Bar? {
        try PolygonRESTParser.previousClose(try await get(urls.previousClose(for: symbol), priority: .background))
    }

    public func marketStatus() async throws -> PolygonMarketStatus {
        try PolygonRESTParser.marketStatus(try await get(urls.marketStatus(), priority: .background))
    }

    /// One GET within the budget at `priority`; a 429 pauses the budget and retries (twice at most).
    func get(_ url: URL, priority: PolygonRequestPriority) async throws -> Data {
        var attempt = 0
        while true {
            try await budget.acquire(priority)
            var request = HTTPClientRequest(url: url.absoluteString)
            let auth = PolygonURLs.authorizationHeader(apiKey: apiKey)
            request.headers.add(name: auth.name, value: auth.value)
            request.headers.add(name: "Accept", value: "application/json")
            let response: HTTPClientResponse
            let body: ByteBuffer
            do {
                response = try await http.execute(request, timeout: timeout)
                body = try await response.body.collect(upTo: 32 << 20)
            } catch {
                throw MarketDataError.unavailable("\(url.host ?? "polygon"): \(error)")
            }
            let data = Data(body.readableBytesView)
            guard let error = PolygonErrors.classify(status: Int(response.status.code), header: { response.headers.first(name: $0) }, body: data) else {
                return data
            }
            if case .rateLimited(let retryAfter) = error, attempt < 2 {
                let wait = retryAfter ?? rateLimitWait * (1 << attempt)
                attempt += 1
                logger.warning("polygon rate limit; waiting", metadata: ["seconds": .stringConvertible(wait.components.seconds)])
                await budget.pause(for: wait)
                continue
            }
            throw error
        }
    }
}
