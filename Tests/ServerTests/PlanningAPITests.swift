import APIInput
import Foundation
import Testing
import TradingDomain

/// The planning endpoints end to end, including the worked examples of docs/planning.md.
@Suite("Planning API")
struct PlanningAPITests {
    /// The ```json block after `<!-- example: NAME -->` in docs/planning.md, as text.
    static func docBlock(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/planning.md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let marker = try #require(lines.firstIndex(of: "<!-- example: \(name) -->"), "no example \(name)")
        let start = try #require(lines[(marker + 1)...].firstIndex(of: "```json"))
        let end = try #require(lines[(start + 1)...].firstIndex(of: "```"))
        return lines[(start + 1)..<end].joined(separator: "\n")
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("the API answers each worked example exactly as docs/planning.md shows", arguments: [
        ("long-equity", "/api/v1/plan/validate"),
        ("short-equity", "/api/v1/plan/validate"),
        ("option", "/api/v1/plan/validate"),
        ("option-no-stop", "/api/v1/sizing/suggest"),
        ("zero-quantity", "/api/v1/sizing/suggest"),
        ("invalid-plan", "/api/v1/plan/validate"),
    ])
    func workedExample(name: String, path: String) async throws {
        try await withApp { client, _ in
            let response = try await client.api(.post, path, json: try Self.docBlock("\(name)/request"))
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.value() == Self.json(try Self.docBlock("\(name)/response")), "\(response.text)")
        }
    }

    @Test("the degenerate sizing example is a 422 with the documented errors")
    func degenerateExample() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.post, "/api/v1/sizing/suggest", json: try Self.docBlock("degenerate-sizing/request"))
            #expect(response.status == .unprocessableContent)
            #expect(response.isProblem)
            #expect(try response.value()["errors"] == Self.json(try Self.docBlock("degenerate-sizing/errors")))
        }
    }

    @Test("without last_price and atr in the request, the plan is checked against live market data")
    func liveContext() async throws {
        try await withApp { client, components in
            let aapl = Symbol(trusted: "AAPL")
            for _ in 0..<100 where components.market.cache.quote(for: aapl)?.price == nil { try await Task.sleep(for: .milliseconds(20)) }
            let last = try #require(components.market.cache.quote(for: aapl)?.price)
            // An entry half the market price is far from the last price; a one-cent stop is tighter than the ATR.
            let entry = (last / 2).rounded(scale: 2)
            let response = try await client.api(.post, "/api/v1/plan/validate", json: """
                {"symbol":"AAPL","side":"long","entry":\(entry),"stop":\(entry - Decimal(string: "0.01")!),"targets":[\(entry + 1)]}
                """)
            #expect(response.status == .ok, "\(response.text)")
            let codes = try response.value()["warnings"]?.array?.compactMap { $0["code"]?.string } ?? []
            #expect(codes.contains("entry_far_from_last"), "\(codes)")
            #expect(codes.contains("stop_tighter_than_atr"), "\(codes)")
        }
    }

    @Test("sizing uses the broker's account (the paper broker's) when the request gives none, and says so")
    func sizingDefaultsFromBroker() async throws {
        try await withApp(configure: { $0.paper.equity = 40_000 }) { client, _ in
            try await client.api(.patch, "/api/v1/settings", json: #"{"account":{"equity":90000},"risk":{"risk_per_trade_pct":0.5}}"#)
            let response = try await client.api(.post, "/api/v1/sizing/suggest", json: #"{"symbol":"AAPL","side":"long","entry":100,"stop":98}"#)
            #expect(response.status == .ok, "\(response.text)")
            let body = try response.value()
            // 0.5 % of the broker's 40,000 (not the settings' 90,000) = 200; 200 ÷ 2 = 100 shares
            // (10,000 = 25 % of equity, exactly the default cap).
            #expect(body["account_source"]?.string == "broker")
            #expect(body["equity"]?.decimal == 40_000)
            #expect(body["quantity"]?.decimal == 100)
            #expect(body["risk_amount"]?.decimal == 200)
            #expect(body["position_value"]?.decimal == 10000)

            let given = try await client.api(.post, "/api/v1/sizing/suggest", json: #"{"side":"long","entry":100,"stop":98,"equity":20000}"#).value()
            #expect(given["account_source"]?.string == "request")
            #expect(given["quantity"]?.decimal == 50)
        }
    }

    @Test("bad input to either endpoint is a 422 naming each field", arguments: [
        ("/api/v1/plan/validate", #"{}"#, ["symbol", "side", "entry", "stop", "targets"]),
        ("/api/v1/plan/validate", #"{"symbol":"??","side":"up","entry":"x","stop":1,"targets":[1,"y"],"bogus":1}"#,
         ["symbol", "side", "entry", "targets[1]", "bogus"]),
        ("/api/v1/plan/validate", #"{"symbol":"AAPL","side":"long","entry":10,"stop":9,"targets":[12],"risk_pct":1,"risk_amount":5}"#,
         ["risk_amount"]),
        ("/api/v1/sizing/suggest", #"{}"#, ["side", "entry"]),
        ("/api/v1/sizing/suggest", #"{"side":"long","entry":100,"stop":100}"#, ["stop"]),
        ("/api/v1/sizing/suggest", #"{"side":"long","entry":100,"stop":101}"#, ["stop"]),
        ("/api/v1/sizing/suggest", #"{"side":"long","entry":100,"stop":99,"equity":0}"#, ["equity"]),
        ("/api/v1/sizing/suggest", #"{"side":"long","entry":100,"stop":99,"risk_pct":-1}"#, ["risk_pct"]),
    ])
    func badInput(path: String, body: String, fields: [String]) async throws {
        try await withApp { client, _ in
            let response = try await client.api(.post, path, json: body)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.isProblem)
            let named = Set(try response.problemFields())
            for field in fields {
                #expect(named.contains(field), "\(field) not named in \(response.text)")
            }
        }
    }

    @Test("saved plans: create, read with evaluation, patch, list, link from the journal, delete")
    func savedPlans() async throws {
        try await withApp { client, _ in
            var response = try await client.api(.post, "/api/v1/plans", json: """
                {"symbol":"msft","side":"long","entry":400,"stop":392,"targets":[416,424],"thesis":"base breakout"}
                """)
            #expect(response.status == .created, "\(response.text)")
            var body = try response.value()
            let id = try #require(body["id"]?.string)
            #expect(body["symbol"]?.string == "MSFT")
            #expect(body["evaluation"]?["valid"] == .bool(true))
            #expect(body["evaluation"]?["risk_per_share"]?.decimal == 8)
            #expect(body["evaluation"]?["targets"]?[0]?["r_multiple"]?.decimal == 2)

            response = try await client.api(.patch, "/api/v1/plans/\(id)", json: #"{"stop": 396, "thesis": null}"#)
            #expect(response.status == .ok, "\(response.text)")
            body = try response.value()
            #expect(body["stop"]?.decimal == 396)
            #expect(body["thesis"]?.isNull == true)
            #expect(body["evaluation"]?["targets"]?[0]?["r_multiple"]?.decimal == 4)

            response = try await client.api(.patch, "/api/v1/plans/\(id)", json: #"{"stop": 401}"#)
            #expect(response.status == .unprocessableContent, "a plan that breaks the rules is not saved")
            #expect(try response.problemFields().contains("stop"))

            let list = try await client.api(.get, "/api/v1/plans?symbol=MSFT").value()
            #expect(list["items"]?.array?.count == 1)

            response = try await client.api(.post, "/api/v1/journal", json: """
                {"symbol":"MSFT","side":"long","entry_price":400,"quantity":10,"plan_id":"\(id)"}
                """)
            #expect(response.status == .created)
            #expect(try response.value()["plan_id"]?.string == id)
            response = try await client.api(.post, "/api/v1/journal", json: """
                {"symbol":"MSFT","side":"long","entry_price":400,"quantity":10,"plan_id":"00000000-0000-4000-8000-000000000000"}
                """)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemFields() == ["plan_id"])

            #expect(try await client.api(.delete, "/api/v1/plans/\(id)").status == .noContent)
            #expect(try await client.api(.get, "/api/v1/plans/\(id)").status == .notFound)
        }
    }

    @Test("a saved plan refuses sizing fields and wrong-side stops")
    func savedPlanValidation() async throws {
        try await withApp { client, _ in
            let response = try await client.api(.post, "/api/v1/plans", json: #"{"symbol":"AAPL","side":"short","entry":100,"stop":95,"targets":[90],"risk_pct":1}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemFields() == ["risk_pct"])
            let wrongSide = try await client.api(.post, "/api/v1/plans", json: #"{"symbol":"AAPL","side":"short","entry":100,"stop":95,"targets":[90]}"#)
            #expect(wrongSide.status == .unprocessableContent)
            #expect(try wrongSide.problemFields().contains("stop"))
        }
    }
}
