import Foundation
import Testing
@testable import Server

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("documents exactly the registered routes, and is served at /openapi.json")
    func matchesRoutes() async throws {
        try await withApp { client, components in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try response.json()
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys where ["get", "put", "post", "patch", "delete", "options", "head"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let registered = Set(components.routes.entries.map { "\($0.method.rawValue) \($0.path)" })
            let undocumented = registered.subtracting(documented)
            let phantom = documented.subtracting(registered)
            #expect(undocumented.isEmpty, "registered but not in openapi.json: \(undocumented.sorted())")
            #expect(phantom.isEmpty, "in openapi.json but not registered: \(phantom.sorted())")
        }
    }

    @Test("every operation declares its responses and problem answers use the Problem schema")
    func operationsDeclareResponses() async throws {
        try await withApp { client, _ in
            let document = try await client.execute(uri: "/openapi.json", method: .get).json()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, operations) in paths {
                for (method, value) in operations {
                    guard let operation = value as? [String: Any] else { continue }
                    let responses = operation["responses"] as? [String: Any] ?? [:]
                    #expect(!responses.isEmpty, "\(method) \(path) has no responses")
                    #expect(operation["operationId"] is String, "\(method) \(path) has no operationId")
                    if path.hasPrefix("/api/v1") && path != "/api/v1/ws" {  // the WebSocket takes a token, not the key
                        #expect(responses["401"] != nil, "\(method) \(path) does not document 401")
                    }
                }
            }
        }
    }
}
