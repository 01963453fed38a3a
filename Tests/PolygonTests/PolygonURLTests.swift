import Foundation
import Polygon
import Testing
import TradingDomain

@Suite("Polygon URLs")
struct PolygonURLTests {
    let bearer = PolygonURLs()
    let keyed = PolygonURLs(queryAPIKey: "k3y/+&= x")

    @Test("defaults: massive.com REST and WebSocket hosts")
    func defaults() {
        #expect(bearer.restBase == "https://api.massive.com")
        #expect(bearer.queryAPIKey == nil)
        #expect(PolygonURLs.Feed.realTime.defaultWebSocketURL.absoluteString == "wss://socket.massive.com/stocks")
        #expect(PolygonURLs.Feed.delayed.defaultWebSocketURL.absoluteString == "wss://delayed.massive.com/stocks")
        #expect(PolygonURLs.Feed(rawValue: "delayed") == .delayed)
        #expect(PolygonURLs.authorizationHeader(apiKey: "abc") == ("Authorization", "Bearer abc"))
    }

    @Test("endpoints with Bearer auth carry no key")
    func endpoints() {
        let aapl = sym("AAPL")
        #expect(bearer.snapshot(for: [sym("TSLA"), aapl, aapl])?.absoluteString
            == "https://api.massive.com/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL,TSLA")
        #expect(bearer.snapshot(for: aapl).absoluteString
            == "https://api.massive.com/v2/snapshot/locale/us/markets/stocks/tickers/AAPL")
        #expect(bearer.previousClose(for: aapl).absoluteString
            == "https://api.massive.com/v2/aggs/ticker/AAPL/prev?adjusted=true")
        #expect(bearer.bars(for: aapl, timespan: .minute, from: PolygonTime.date(milliseconds: 1_700_000_000_000),
                            to: PolygonTime.date(milliseconds: 1_700_086_400_000), limit: 50_000).absoluteString
            == "https://api.massive.com/v2/aggs/ticker/AAPL/range/1/minute/1700000000000/1700086400000?adjusted=true&sort=asc&limit=50000")
        #expect(bearer.bars(for: aapl, timespan: .day, from: "2005-04-01", to: "2005-04-04", adjusted: false, ascending: false,
                            limit: 999_999).absoluteString
            == "https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04?adjusted=false&sort=desc&limit=50000")
        #expect(bearer.lastTrade(for: aapl).absoluteString == "https://api.massive.com/v2/last/trade/AAPL")
        #expect(bearer.lastQuote(for: aapl).absoluteString == "https://api.massive.com/v2/last/nbbo/AAPL")
        #expect(bearer.marketStatus().absoluteString == "https://api.massive.com/v1/marketstatus/now")
        #expect(bearer.marketHolidays().absoluteString == "https://api.massive.com/v1/marketstatus/upcoming")
    }

    @Test("no symbols gives no snapshot URL (empty tickers = whole market)")
    func emptySnapshot() {
        #expect(bearer.snapshot(for: [Symbol]()) == nil)
    }

    @Test("tickers and the key are percent-encoded")
    func encoding() {
        #expect(keyed.lastTrade(for: sym("BRK/B")).absoluteString
            == "https://api.massive.com/v2/last/trade/BRK%2FB?apiKey=k3y%2F%2B%26%3D%20x")
        #expect(keyed.snapshot(for: [sym("BRK.B"), sym("BRK/A")])?.absoluteString
            == "https://api.massive.com/v2/snapshot/locale/us/markets/stocks/tickers?tickers=BRK.B,BRK%2FA&apiKey=k3y%2F%2B%26%3D%20x")
        #expect(keyed.marketStatus().query == "apiKey=k3y%2F%2B%26%3D%20x")
        #expect(URLComponents(url: keyed.marketStatus(), resolvingAgainstBaseURL: false)?
            .queryItems?.first { $0.name == "apiKey" }?.value == "k3y/+&= x")
    }

    @Test("configurable base: loopback fake with port and path prefix, legacy host")
    func configurableBase() throws {
        let fake = try #require(PolygonURLs(restBase: " http://127.0.0.1:8089/polygon/ ", queryAPIKey: "K"))
        #expect(fake.restBase == "http://127.0.0.1:8089/polygon")
        #expect(fake.previousClose(for: sym("AAPL")).absoluteString
            == "http://127.0.0.1:8089/polygon/v2/aggs/ticker/AAPL/prev?adjusted=true&apiKey=K")
        let legacy = try #require(PolygonURLs(restBase: "https://api.polygon.io"))
        #expect(legacy.marketStatus().absoluteString == "https://api.polygon.io/v1/marketstatus/now")
        #expect(PolygonURLs(restBase: "http://127.0.0.1:8089", queryAPIKey: "")?.queryAPIKey == nil)
    }

    @Test("bad bases are refused", arguments: [
        "", "api.massive.com", "ftp://api.massive.com", "https://", "https://api.massive.com?x=1",
        "https://api.massive.com#f", "https://user:pw@api.massive.com", "wss://socket.massive.com/stocks",
    ])
    func badBases(base: String) {
        #expect(PolygonURLs(restBase: base) == nil)
    }

    @Test("next_url is followed on the same host with our key re-added")
    func nextURL() throws {
        let spec = "https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw"
        #expect(bearer.next(spec)?.absoluteString == spec)
        #expect(keyed.next(spec)?.absoluteString == spec + "&apiKey=k3y%2F%2B%26%3D%20x")
        // A stray apiKey on next_url is replaced, never duplicated or leaked through.
        #expect(keyed.next(spec + "&apiKey=someone-else")?.absoluteString == spec + "&apiKey=k3y%2F%2B%26%3D%20x")
        #expect(bearer.next(spec + "&apiKey=someone-else")?.absoluteString == spec)
        // Host case and an explicit default port are the same origin; a fragment is dropped.
        #expect(bearer.next("https://API.massive.com:443/v3/x?cursor=a%2Bb#frag")?.absoluteString
            == "https://API.massive.com:443/v3/x?cursor=a%2Bb")
        // A relative next_url resolves against the configured origin.
        let fake = try #require(PolygonURLs(restBase: "http://127.0.0.1:8089/polygon", queryAPIKey: "K"))
        #expect(fake.next("/polygon/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=c")?.absoluteString
            == "http://127.0.0.1:8089/polygon/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=c&apiKey=K")
        #expect(fake.next("http://127.0.0.1:8089/polygon/v2/x?cursor=c")?.absoluteString
            == "http://127.0.0.1:8089/polygon/v2/x?cursor=c&apiKey=K")
    }

    @Test("next_url on another host, scheme, port or with user info is refused", arguments: [
        "https://evil.example.com/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=c",
        "https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=c",
        "http://api.massive.com/v2/aggs?cursor=c",
        "https://api.massive.com:8443/v2/aggs?cursor=c",
        "https://api.massive.com.evil.example.com/v2/aggs?cursor=c",
        "https://user@api.massive.com/v2/aggs?cursor=c",
        "//evil.example.com/v2/aggs?cursor=c",
        "", "   ", "not a url at all",
    ])
    func foreignNextURL(next: String) {
        #expect(keyed.next(next) == nil)
    }

    @Test("next_url from the vendor host is refused when talking to a fake")
    func fakeRefusesVendorHost() throws {
        let fake = try #require(PolygonURLs(restBase: "http://127.0.0.1:8089"))
        #expect(fake.next("https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=c") == nil)
    }
}
