import Foundation
import Testing
import TradingDomain

@Suite("Watchlist API")
struct WatchlistAPITests {
    @Test("starts with the default list; POST appends upper-cased; DELETE removes; PUT replaces")
    func lifecycle() async throws {
        try await withApp { client, _ in
            var body = try await client.api(.get, "/api/v1/watchlist").value()
            #expect(body["symbols"]?.array?.compactMap(\.string) == Watchlist.defaultSymbols.map(\.rawValue))

            var response = try await client.api(.post, "/api/v1/watchlist", json: #"{"symbol": " brk.b "}"#)
            #expect(response.status == .created)
            #expect(try response.value()["symbols"]?.array?.last?.string == "BRK.B")

            response = try await client.api(.post, "/api/v1/watchlist", json: #"{"symbol": "BRK.B"}"#)
            #expect(response.status == .ok, "adding a symbol twice is a no-op")

            response = try await client.api(.delete, "/api/v1/watchlist/brk.b")
            #expect(response.status == .noContent)
            response = try await client.api(.delete, "/api/v1/watchlist/BRK.B")
            #expect(response.status == .notFound)
            #expect(response.isProblem)

            response = try await client.api(.put, "/api/v1/watchlist", json: #"{"symbols": ["tsla", "AAPL", "tsla", "AAPL230616C00150000"]}"#)
            #expect(response.status == .ok)
            body = try await client.api(.get, "/api/v1/watchlist").value()
            #expect(body["symbols"]?.array?.compactMap(\.string) == ["TSLA", "AAPL", "AAPL230616C00150000"])
        }
    }

    @Test("PUT names every bad symbol by index")
    func putValidation() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.put, "/api/v1/watchlist", json: #"{"symbols": ["AAPL", "1BAD", 42, "", "WAYTOOLONGSYMBOL"]}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemFields() == ["symbols[1]", "symbols[2]", "symbols[3]", "symbols[4]"])
            let body = try await client.api(.get, "/api/v1/watchlist").value()
            #expect(body["symbols"]?.array?.count == Watchlist.defaultSymbols.count, "nothing changed")
        }
    }
}
