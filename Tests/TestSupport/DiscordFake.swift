import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TradingEngine

/// A loopback fake of Discord's webhook API (shared/contracts/external-apis.md section 3):
/// `POST`/`GET /api[/v{N}]/webhooks/{id}/{token}`. It records every request, answers POSTs from a FIFO
/// script (falling back to `defaultReply`), and validates bodies as Discord does: an empty message is
/// `400` code 50006, an over-limit one `400` in the v8 format on versioned URLs (v8+) and in the legacy
/// format on unversioned ones (unless `Settings.legacyErrorsWhenUnversioned` is false).
public final class DiscordFake: Sendable {
    /// A webhook id and token that the default URLs use (any id/token is accepted).
    public static let webhookID = "112233445566778899"
    public static let token = "fAkE-ToKeN_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU"
    /// A real-looking webhook URL with that id and token, which `DiscordWebhookURL.validate` accepts
    /// (point the client's API base at `baseURL` to deliver it here).
    public static let discordURL = "https://discord.com/api/webhooks/\(webhookID)/\(token)"

    /// What the fake answers to one webhook execution.
    public indirect enum Reply: Sendable, Hashable {
        /// Success after validating the body: 204 empty, or 200 with the message object for `?wait=true`.
        case noContent
        /// 429 with the fixture's body shape, `Retry-After` (whole seconds, rounded up) and `X-RateLimit-*`.
        case rateLimited(retryAfter: Double, global: Bool)
        /// 404 `{"message": "Unknown Webhook", "code": 10015}`.
        case unknownWebhook
        /// 401 `{"message": "Invalid Webhook Token", "code": 50027}`.
        case invalidToken
        /// 400 with the v8 fixture body (content over 2000).
        case badRequestV8
        /// 400 with the legacy fixture body `{"content": ["Must be 2000 or fewer in length."]}`.
        case badRequestLegacy
        /// That status with `{"message": "…", "code": 0}`.
        case serverError(Int)
        /// Waits, then answers `then`.
        case slow(seconds: Double, then: Reply)
        /// Anything else, verbatim.
        case raw(status: Int, headers: [String: String], body: String)
    }

    /// One request as received.
    public struct RecordedRequest: Sendable, Hashable {
        public var method: String
        public var path: String
        public var query: String?
        /// Lower-cased names; repeated headers joined with ", ".
        public var headers: [String: String]
        public var body: Data
        /// The JSON body as an object (empty when it is not one).
        public func json() throws -> [String: Any] {
            (try JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
        }
    }

    public struct Settings: Sendable {
        /// Unversioned URLs (and v6/v7) get legacy validation errors, as the contract says Discord does.
        public var legacyErrorsWhenUnversioned = true
        /// `X-RateLimit-Remaining` on successful answers (0 tells a client to pause for `Reset-After`).
        public var rateLimitRemaining = 4
        public init() {}
    }

    struct State {
        var settings = Settings()
        var script: [Reply] = []
        var defaultReply: Reply = .noContent
        var deletedTokens: Set<String> = []
        var requests: [RecordedRequest] = []
        var messages = 0
    }

    let state = Shared(State())
    private let server = LoopbackServer()

    public init(settings: Settings = Settings()) {
        state.withLock { $0.settings = settings }
    }

    public var port: Int { server.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `baseURL/api[/v{version}]/webhooks/{id}/{token}`.
    public func webhookURL(id: String = DiscordFake.webhookID, token: String = DiscordFake.token, version: Int? = nil) -> String {
        "\(baseURL)/api\(version.map { "/v\($0)" } ?? "")/webhooks/\(id)/\(token)"
    }

    public var settings: Settings {
        get { state.withLock { $0.settings } }
        set { state.withLock { $0.settings = newValue } }
    }

    /// The answer when the script is empty (initially `.noContent`).
    public var defaultReply: Reply {
        get { state.withLock { $0.defaultReply } }
        set { state.withLock { $0.defaultReply = newValue } }
    }

    /// Tokens whose webhook is deleted: every request with one gets 404 10015 (the script is untouched).
    public var deletedTokens: Set<String> {
        get { state.withLock { $0.deletedTokens } }
        set { state.withLock { $0.deletedTokens = newValue } }
    }

    /// Appends answers for the next POSTs, in order.
    public func enqueue(_ replies: Reply...) {
        state.withLock { $0.script.append(contentsOf: replies) }
    }

    /// Scripted answers not used yet.
    public var pendingReplies: [Reply] { state.withLock { $0.script } }
    /// Every request received, in order (GETs included).
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    /// The POSTs received, in order.
    public var executions: [RecordedRequest] { requests.filter { $0.method == "POST" } }

    /// Forgets requests and script; settings, default reply and deleted tokens stay.
    public func reset() {
        state.withLock {
            $0.requests = []
            $0.script = []
        }
    }

    // MARK: lifecycle

    public func start() async throws {
        let router = Router(context: BasicRequestContext.self)
        for path in ["api/webhooks/:id/:token", "api/:version/webhooks/:id/:token"] {
            router.post(RouterPath(path)) { request, context in try await self.handle(request, context: context) }
            router.get(RouterPath(path)) { request, context in try await self.handle(request, context: context) }
        }
        await server.start { onServerRunning in
            Application(
                router: router,
                configuration: LoopbackServer.configuration, onServerRunning: onServerRunning,
                logger: LoopbackServer.quietLogger("discord-fake"))
        }
    }

    public func stop() async {
        await server.stop()
    }

    // MARK: handling

    private func handle(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 8 << 20)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers,
            body: Data(buffer: body))
        let id = try context.parameters.require("id")
        let token = try context.parameters.require("token")
        var version: Int?
        if let segment = context.parameters.get("version") {
            guard segment.hasPrefix("v"), let number = Int(segment.dropFirst()) else {
                state.withLock { $0.requests.append(recorded) }
                return Self.json(#"{"message": "404: Not Found", "code": 0}"#, status: 404)
            }
            version = number
        }
        let (deleted, reply) = state.withLock { state -> (Bool, Reply) in
            state.requests.append(recorded)
            if state.deletedTokens.contains(token) { return (true, .unknownWebhook) }
            if request.method != .post { return (false, .noContent) }
            return (false, state.script.isEmpty ? state.defaultReply : state.script.removeFirst())
        }
        if deleted || request.method == .post {
            let legacy = (version ?? 6) < 8 && settings.legacyErrorsWhenUnversioned
            return try await answer(reply, id: id, body: recorded.body, query: request.uri.query, legacy: legacy)
        }
        return Self.json(
            #"{"application_id": null, "avatar": null, "channel_id": "223344556677889900", "guild_id": "334455667788990011", "id": "\#(id)", "name": "Fake Webhook", "token": "\#(token)", "type": 1}"#)
    }

    private func answer(_ reply: Reply, id: String, body: Data, query: String?, legacy: Bool) async throws -> Response {
        switch reply {
        case .noContent:
            return success(id: id, body: body, query: query, legacy: legacy)
        case .rateLimited(let retryAfter, let global):
            let reset = Date().timeIntervalSince1970 + retryAfter
            var headers: [String: String] = [
                "Retry-After": "\(Int(retryAfter.rounded(.up)))", "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": String(format: "%.3f", reset), "X-RateLimit-Reset-After": String(format: "%.3f", retryAfter),
                "X-RateLimit-Bucket": "abcd1234", "X-RateLimit-Scope": global ? "global" : "user",
            ]
            if global { headers["X-RateLimit-Global"] = "true" }
            return Self.json(#"{"message": "You are being rate limited.", "retry_after": \#(retryAfter), "global": \#(global)}"#, status: 429, headers: headers)
        case .unknownWebhook:
            return Self.json(#"{"message": "Unknown Webhook", "code": 10015}"#, status: 404)
        case .invalidToken:
            return Self.json(#"{"message": "Invalid Webhook Token", "code": 50027}"#, status: 401)
        case .badRequestV8:
            return Self.json(#"{"code":50035,"errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 2000 or fewer in length."}]}},"message":"Invalid Form Body"}"#, status: 400)
        case .badRequestLegacy:
            return Self.json(#"{"content": ["Must be 2000 or fewer in length."]}"#, status: 400)
        case .serverError(let status):
            return Self.json(#"{"message": "Internal Server Error", "code": 0}"#, status: status)
        case .slow(let seconds, let then):
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return try await answer(then, id: id, body: body, query: query, legacy: legacy)
        case .raw(let status, let headers, let text):
            return Self.json(text, status: status, headers: headers)
        }
    }

    private func success(id: String, body: Data, query: String?, legacy: Bool) -> Response {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return Self.json(#"{"message": "The request body contains invalid JSON.", "code": 50109}"#, status: 400)
        }
        let content = (object["content"] as? String) ?? ""
        let embeds = (object["embeds"] as? [[String: Any]]) ?? []
        if content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && embeds.isEmpty {
            return Self.json(#"{"message": "Cannot send an empty message", "code": 50006}"#, status: 400)
        }
        let problems = DiscordFakeValidation.problems(object)
        if let first = problems.first {
            return Self.json(legacy ? DiscordFakeValidation.legacyBody(first) : DiscordFakeValidation.v8Body(problems), status: 400)
        }
        let remaining = settings.rateLimitRemaining
        let headers = [
            "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "\(remaining)", "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Reset": String(format: "%.3f", Date().timeIntervalSince1970 + 1), "X-RateLimit-Bucket": "abcd1234",
        ]
        let wait = query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] }?.first { $0.name == "wait" }?.value
        guard let wait, ["true", "True", "1"].contains(wait) else { return Self.json(nil, status: 204, headers: headers) }
        let number = state.withLock { state -> Int in
            state.messages += 1
            return state.messages
        }
        let message: [String: Any] = [
            "id": "\(1_300_000_000_000_000_000 + number)", "type": 0, "channel_id": "223344556677889900",
            "content": content, "embeds": embeds.map { $0.merging(["type": "rich"]) { old, _ in old } },
            "author": ["id": id, "username": (object["username"] as? String) ?? "Fake Webhook", "avatar": NSNull(), "bot": true, "discriminator": "0000"],
            "webhook_id": id, "timestamp": "2026-11-26T15:31:05.299000+00:00", "edited_timestamp": NSNull(),
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
            "pinned": false, "flags": 0, "components": [],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Self.json(String(decoding: data, as: UTF8.self), status: 200, headers: headers)
    }

    static func json(_ text: String?, status: Int = 200, headers: [String: String] = [:]) -> Response {
        var fields = HTTPFields()
        if text != nil { fields[.contentType] = "application/json" }
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let body = text.map { ResponseBody(byteBuffer: ByteBuffer(string: $0)) } ?? ResponseBody()
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: body)
    }
}
