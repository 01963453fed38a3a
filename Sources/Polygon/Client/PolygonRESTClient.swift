import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TradingDomain
import TradingEngine

/// Polygon/Massive REST (docs/vendors.md §1.4–1.6): Bearer auth, one batched snapshot call for
/// many symbols, aggregates with `next_url` paging (a page cap guards against cursor loops),
/// calls spaced within the plan's per-minute budget, 429 answered by pausing (Retry-After when
/// given). Only GETs are made, and only they are retried.
public final class PolygonRESTClient: MarketSnapshotSource, Sendable {
    let urls: PolygonURLs
    let apiKey: String
    let http: HTTPClient
    let budget: RequestBudget
    let logger: Logger
    let maxPages: Int
    let timeout: TimeAmount
    /// Pause after a 429 without `Retry-After` (one free-plan slot is 12 s).
    let rateLimitWait: Duration

    public init(
        restBase: String, apiKey: String, requestsPerMinute: Int, http: HTTPClient = .shared,
        logger: Logger, maxPages: Int = 10, timeout: TimeAmount = .seconds(10), rateLimitWait: Duration = .seconds(12)
    ) throws {
        guard let urls = PolygonURLs(restBase: restBase) else {
            throw MarketDataError.malformed("POLYGON_REST_URL '\(restBase)' is not a usable base URL")
        }
        self.urls = urls
        self.apiKey = apiKey
        self.http = http
        budget = RequestBudget(perMinute: requestsPerMinute)
        self.logger = logger
        self.maxPages = maxPages
        self.timeout = timeout
        self.rateLimitWait = rateLimitWait
    }

    public func snapshots(for symbols: [Symbol]) async throws -> [Symbol: MarketSnapshot] {
        guard let url = urls.snapshot(for: symbols) else { return [:] }
        let body = try await get(url)
        let snapshots = try PolygonRESTParser.snapshots(body)
        return Dictionary(snapshots.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func bars(for symbol: Symbol, timespan: Timespan, from: Date, to: Date, limit: Int) async throws -> [Bar] {
        var bars: [Bar] = []
        var next: URL? = urls.bars(for: symbol, timespan: timespan, from: from, to: to, limit: 50_000)
        var pages = 0
        while let url = next, pages < maxPages {
            let page = try PolygonRESTParser.bars(try await get(url), symbol: symbol, timespan: timespan)
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
        try PolygonRESTParser.previousClose(try await get(urls.previousClose(for: symbol)))
    }

    public func marketStatus() async throws -> PolygonMarketStatus {
        try PolygonRESTParser.marketStatus(try await get(urls.marketStatus()))
    }

    /// One GET within the budget; a 429 pauses the budget and retries (twice at most).
    func get(_ url: URL) async throws -> Data {
        var attempt = 0
        while true {
            try await budget.acquire()
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
                attempt += 1
                let wait = retryAfter ?? rateLimitWait
                logger.warning("polygon rate limit; waiting", metadata: ["seconds": .stringConvertible(wait.components.seconds)])
                await budget.pause(for: wait)
                continue
            }
            throw error
        }
    }
}
