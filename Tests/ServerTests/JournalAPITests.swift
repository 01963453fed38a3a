import Foundation
import Testing
import TradingDomain

@Suite("Journal API")
struct JournalAPITests {
    static let closedLong = """
        {"symbol": "aapl", "side": "long", "entry_price": 190.10, "exit_price": 195.35, "quantity": 100,
         "stop": 187.10, "targets": [196, 199.5], "fees": 1.20, "tags": ["Gap Up", "earnings"],
         "notes": "<b>not html</b>", "opened_at": "2026-03-02T14:35:00Z", "closed_at": "2026-03-02T19:10:00.250Z"}
        """

    @Test("create computes P&L and R exactly; read, patch and delete round-trip")
    func crud() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.post, "/api/v1/journal", json: Self.closedLong)
            #expect(response.status == .created, "\(response.text)")
            var body = try response.value()
            let id = try #require(body["id"]?.string)
            #expect(response.headers[.location] == "/api/v1/journal/\(id)")
            #expect(body["symbol"]?.string == "AAPL")
            #expect(body["status"]?.string == "closed")
            #expect(body["gross_pnl"]?.decimal == Decimal(string: "525"))
            #expect(body["pnl"]?.decimal == Decimal(string: "523.8"))
            #expect(body["initial_risk"]?.decimal == 300)
            #expect(body["r_multiple"]?.decimal == Decimal(string: "1.75"))
            #expect(body["tags"]?.array?.compactMap(\.string) == ["gap-up", "earnings"])
            #expect(body["notes"]?.string == "<b>not html</b>")
            #expect(body["closed_at"]?.string == "2026-03-02T19:10:00.250Z")
            #expect(body["source"]?.string == "manual")

            response = try await client.api(.get, "/api/v1/journal/\(id)")
            #expect(response.status == .ok)
            #expect(try response.value()["pnl"]?.decimal == Decimal(string: "523.8"))

            // Reopen (exit null) and change the stop: P&L disappears, risk follows the new stop.
            response = try await client.api(.patch, "/api/v1/journal/\(id)", json: #"{"exit_price": null, "stop": 188.6, "notes": "scaled"}"#)
            #expect(response.status == .ok, "\(response.text)")
            body = try response.value()
            #expect(body["status"]?.string == "open")
            #expect(body["closed_at"]?.isNull == true)
            #expect(body["pnl"]?.isNull == true)
            #expect(body["initial_risk"]?.decimal == 150)
            #expect(body["notes"]?.string == "scaled")
            #expect(body["entry_price"]?.decimal == Decimal(string: "190.1"), "untouched fields stay")

            response = try await client.api(.delete, "/api/v1/journal/\(id)")
            #expect(response.status == .noContent)
            response = try await client.api(.get, "/api/v1/journal/\(id)")
            #expect(response.status == .notFound)
            #expect(response.isProblem)
        }
    }

    @Test("a short that loses has a negative P&L and R")
    func shortLoss() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.post, "/api/v1/journal", json: """
                {"symbol": "TSLA", "side": "short", "entry_price": 250, "exit_price": 254, "quantity": 10, "stop": 255, "fees": 0}
                """)
            let body = try response.value()
            #expect(body["pnl"]?.decimal == -40)
            #expect(body["r_multiple"]?.decimal == Decimal(string: "-0.8"))
        }
    }

    @Test("list filters by symbol, tag, status and dates, newest first, with cursor pages")
    func listing() async throws {
        try await withApp { client, _ in
            for day in 1...7 {
                let symbol = day % 2 == 0 ? "MSFT" : "NVDA"
                let exit = day <= 3 ? #", "exit_price": 101"# : ""
                let tags = day % 3 == 0 ? #"["swing"]"# : #"["scalp"]"#
                let response = try await client.api(.post, "/api/v1/journal", json: """
                    {"symbol": "\(symbol)", "side": "long", "entry_price": 100, "quantity": 1, "tags": \(tags),
                     "opened_at": "2026-04-0\(day)T15:00:00Z"\(exit)}
                    """)
                #expect(response.status == .created, "\(response.text)")
            }
            var all: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/journal?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.api(.get, uri).value()
                let items = page["items"]?.array ?? []
                #expect(items.count <= 3)
                all += items.compactMap { $0["opened_at"]?.string }
                cursor = page["next_cursor"]?.string
            } while cursor != nil
            #expect(all == (1...7).reversed().map { "2026-04-0\($0)T15:00:00.000Z" })

            func count(_ query: String) async throws -> Int {
                try await client.api(.get, "/api/v1/journal?\(query)").value()["items"]?.array?.count ?? -1
            }
            #expect(try await count("symbol=msft") == 3)
            #expect(try await count("tag=swing") == 2)
            #expect(try await count("status=closed") == 3)
            #expect(try await count("status=open&symbol=NVDA") == 2)
            #expect(try await count("from=2026-04-03T00:00:00Z&to=2026-04-05T00:00:00Z") == 2)
        }
    }

    @Test("bad list queries name each parameter")
    func listValidation() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.get, "/api/v1/journal?symbol=1x&status=maybe&limit=0&from=yesterday&cursor=zzz&color=red")
            #expect(response.status == .unprocessableContent)
            #expect(Set(try response.problemFields()) == ["symbol", "status", "limit", "from", "cursor", "color"])
        }
    }
}
