import APIInput
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// Runs `body` against the real application (router + middleware + a fresh database). Its clock
/// runs in real time from a regular session (Tuesday 2026-12-01 10:00 New York, `TestMarketTime`)
/// unless the test passes another, so market-session rules do not depend on when the tests run.
func withApp(
    configure: (inout AppConfig) -> Void = { _ in },
    logSink: LogSink = .memory(),
    clock: any WallClock = TestMarketTime().clock,
    testing: TestingSetup = .router,
    marketFeed: (any MarketDataFeed)? = nil,
    _ body: @Sendable (any TestClientProtocol, AppComponents) async throws -> Void
) async throws {
    let database = try await TestDatabase.make()
    var config = TestApp.config(database: database)
    configure(&config)
    // Every test app's whole log is checked — also when the body throws: no secret ever appears in it.
    defer { expectNoSecrets(in: logSink.lines.joined(separator: "\n"), context: "log of a test app") }
    do {
        let (app, components) = try await buildApplication(
            config: config, logSink: logSink, clock: clock, marketFeed: marketFeed, announce: { _ in })
        try await app.test(testing) { client in try await body(client, components) }
    } catch {
        await database.remove()
        throw error
    }
    await database.remove()
}

/// The secrets the tests use: the API key, the broker token, the Discord webhook token.
let testSecrets = [TestApp.apiKey, TradierFake.validToken, DiscordFake.token]

func expectNoSecrets(in text: String, context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in testSecrets {
        #expect(!text.contains(secret), "\(context) contains a secret", sourceLocation: sourceLocation)
    }
}

let authHeaders: HTTPFields = [HTTPField.Name("X-API-Key")!: TestApp.apiKey, .contentType: "application/json"]

extension TestClientProtocol {
    /// Sends a request with the API key (and JSON content type when there is a body).
    @discardableResult
    func api(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = authHeaders) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(object as? [String: Any], "body is not a JSON object: \(text)")
    }

    /// The `errors[].field` values of a problem+json answer.
    func problemFields() throws -> [String] {
        let errors = try json()["errors"] as? [[String: Any]] ?? []
        return errors.compactMap { $0["field"] as? String }
    }

    var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}

extension TestResponse {
    /// The body parsed with exact numbers.
    func value() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))
    }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    var decimal: Decimal? {
        if case .number(let value) = self { return value }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var isNull: Bool { self == .null }
}
