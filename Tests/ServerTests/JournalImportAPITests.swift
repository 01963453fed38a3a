import APIInput
import Foundation
import Synchronization
import HummingbirdTesting
import HTTPTypes
import Testing
import TradingDomain

@Suite("Journal import and export API")
struct JournalImportAPITests {
    static let csv = """
        fill_id,time,symbol,side,quantity,price,commission,stop,tags
        E1,2026-03-02T14:31:00Z,AAPL,buy,100,190.10,1,188,orb
        E2,2026-03-02T15:02:00Z,AAPL,sell,100,191.25,1,,
        E3,2026-03-03T14:40:00Z,MSFT,buy,10,abc,1,,
        E4,2026-03-03T14:45:00Z,AAPL260619C00200000,buy_to_open,2,2.50,1.30,,
        E5,2026-03-03T15:45:00Z,AAPL260619C00200000,sell_to_close,2,3.10,1.30,,

        """
    static let csvHeaders: HTTPFields = [HTTPField.Name("X-API-Key")!: TestApp.apiKey, .contentType: "text/csv"]

    @Test("a CSV body: the dry run lists the bad line and writes nothing; the import adds the rest once; options × 100")
    func importCSV() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.post, "/api/v1/journal/import?dry_run=true", json: Self.csv, headers: Self.csvHeaders)
            #expect(response.status == .ok, "\(response.text)")
            var body = try response.value()
            #expect(body["dry_run"] == .bool(true))
            #expect(body["new"]?.decimal == 4)
            #expect(body["duplicates"]?.decimal == 0)
            #expect(body["errors"]?[0]?["line"]?.decimal == 4)
            #expect(body["errors"]?[0]?["message"]?.string?.hasPrefix("price:") == true)
            #expect(body["trades"]?.decimal == 2)
            #expect(try await client.api(.get, "/api/v1/journal").value()["items"]?.array?.isEmpty == true)

            response = try await client.api(.post, "/api/v1/journal/import", json: Self.csv, headers: Self.csvHeaders)
            body = try response.value()
            #expect(body["new"]?.decimal == 4)
            let option = try #require(body["preview"]?.array?.first { $0["asset_class"]?.string == "option" })
            #expect(option["pnl"]?.decimal == Decimal(string: "117.4"))  // (3.10 − 2.50) × 2 × 100 − 2.60
            #expect(option["source"]?.string == "imported")

            // The same file as JSON: nothing new.
            let json = try String(data: JSONEncoder().encode(["csv": Self.csv]), encoding: .utf8)!
            response = try await client.api(.post, "/api/v1/journal/import", json: json)
            body = try response.value()
            #expect(body["new"]?.decimal == 0)
            #expect(body["duplicates"]?.decimal == 4)
            #expect(try await client.api(.get, "/api/v1/journal").value()["items"]?.array?.count == 2)

            // The imported option trade's review lists its two fills.
            let id = try #require(option["id"]?.string)
            let review = try await client.api(.get, "/api/v1/journal/\(id)/review").value()
            #expect(review["fills"]?.array?.count == 2)
            #expect(review["multiplier"]?.decimal == 100)
        }
    }

    @Test("export.csv round-trips: importing it into an empty journal gives the same stats")
    func exportRoundTrip() async throws {
        let saved = Mutex<(csv: String, stats: JSONValue)>(("", .null))
        try await withApp { client, _ in
            _ = try await client.api(.post, "/api/v1/journal/import", json: Self.csv, headers: Self.csvHeaders)
            _ = try await client.api(.post, "/api/v1/journal", json: """
                {"symbol": "TSLA", "side": "short", "entry_price": 250, "exit_price": 254, "quantity": 10, "stop": 255,
                 "fees": 2, "tags": ["fade"], "opened_at": "2026-03-04T15:00:00Z", "closed_at": "2026-03-04T16:00:00Z"}
                """)
            let response = try await client.api(.get, "/api/v1/journal/export.csv")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            let stats = try await client.api(.get, "/api/v1/journal/stats").value()
            saved.withLock { $0 = (response.text, stats) }
        }
        let (exported, before) = saved.withLock { $0 }
        #expect(exported.hasPrefix("fill_id,trade_id,time,symbol,side,quantity,price,commission,stop,target,tags"))
        try await withApp { client, _ in
            let body = try await client.api(.post, "/api/v1/journal/import", json: exported, headers: Self.csvHeaders).value()
            #expect(body["errors"]?.array?.isEmpty == true, "\(body)")
            let after = try await client.api(.get, "/api/v1/journal/stats").value()
            for key in ["trades", "wins", "losses", "open_trades", "total_pnl", "total_fees", "expectancy_r", "profit_factor",
                        "max_drawdown", "by_symbol", "by_tag", "by_hour", "r_histogram", "streaks"] {
                #expect(after[key] == before[key], "\(key)")
            }
        }
    }

    @Test("bad requests name the field: unknown format, a file without the required columns, a foreign content type")
    func badInput() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.post, "/api/v1/journal/import?format=ib", json: Self.csv, headers: Self.csvHeaders)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemFields() == ["format"])
            response = try await client.api(.post, "/api/v1/journal/import", json: "symbol,price\nAAPL,1\n", headers: Self.csvHeaders)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemFields() == ["csv"])
            #expect(response.text.contains("time"))
            response = try await client.api(.post, "/api/v1/journal/import", json: #"{"csv": 5, "dry_run": "yes"}"#)
            #expect(response.status == .unprocessableContent)
            #expect(Set(try response.problemFields()) == ["csv", "dry_run"])
            var headers = Self.csvHeaders
            headers[.contentType] = "application/x-www-form-urlencoded"
            response = try await client.api(.post, "/api/v1/journal/import", json: "a=b", headers: headers)
            #expect(response.status == .unsupportedMediaType)
            #expect(response.isProblem)
        }
    }
}
