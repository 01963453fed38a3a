import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TradingEngine

/// A loopback fake of Chat Data's `POST /api/v2/chat` (contract section 4.1). It checks the Bearer
/// key and the `chatbotId`, records every request, and answers from a FIFO script: by default the
/// answer is **plain text** (not JSON), as the real API sends it; `{"status":"error","message":…}`
/// failures (with HTTP 200 or another status) and OpenAI-shaped answers can be scripted.
public final class ChatDataFake: Sendable {
    public static let validKey = "sk-fake-chatdata-0123456789"
    public static let chatbotID = "fake-chatbot-42"

    public enum Reply: Sendable, Hashable {
        /// 200 with this text as the whole body (`text/plain`).
        case text(String)
        /// `{"status":"error","message":…}` with this HTTP status (the real service's status is unverified).
        case error(String, status: Int = 200)
        /// 200 `{"choices":[{"message":{"role":"assistant","content":…}}]}` (the `openAIFormat` shape).
        case openAIShaped(String)
        /// 200 `{"content":…}`.
        case jsonContent(String)
        /// Anything else, verbatim.
        case raw(status: Int, contentType: String, body: String)
    }

    /// One request as received.
    public struct RecordedRequest: Sendable {
        /// Lower-cased names.
        public var headers: [String: String]
        public var body: Data
        public func json() -> [String: Any] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        }
        public var messages: [[String: Any]] { (json()["messages"] as? [[String: Any]]) ?? [] }
        /// `content` of the last message (the one carrying the data block).
        public var lastContent: String { (messages.last?["content"] as? String) ?? "" }
    }

    struct State {
        var script: [Reply] = []
        var defaultReply: Reply = .text("Here is my take, based on the data you gave me.")
        var requests: [RecordedRequest] = []
    }

    let state = Shared(State())
    private let server = LoopbackServer()

    public init() {}

    public var port: Int { server.port }
    /// `CHATDATA_BASE_URL` for a client (the path `/api/v2/chat` is the client's to add).
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    public var defaultReply: Reply {
        get { state.withLock { $0.defaultReply } }
        set { state.withLock { $0.defaultReply = newValue } }
    }

    public func enqueue(_ replies: Reply...) {
        state.withLock { $0.script.append(contentsOf: replies) }
    }

    public func start() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.post("api/v2/chat") { request, _ in try await self.handle(request) }
        await server.start { onServerRunning in
            Application(
                router: router,
                configuration: LoopbackServer.configuration, onServerRunning: onServerRunning,
                logger: LoopbackServer.quietLogger("chatdata-fake"))
        }
    }

    public func stop() async {
        await server.stop()
    }

    private func handle(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let recorded = RecordedRequest(headers: headers, body: Data(buffer: body))
        let reply = state.withLock { state -> Reply in
            state.requests.append(recorded)
            return state.script.isEmpty ? state.defaultReply : state.script.removeFirst()
        }
        guard headers["authorization"] == "Bearer \(Self.validKey)" else {
            return Self.json(["status": "error", "message": "Invalid API key"], status: 401)
        }
        let object = recorded.json()
        guard let chatbot = object["chatbotId"] as? String, chatbot == Self.chatbotID else {
            return Self.json(["status": "error", "message": "Chatbot not found"], status: 404)
        }
        guard let messages = object["messages"] as? [[String: Any]], !messages.isEmpty,
              messages.allSatisfy({ ["user", "assistant"].contains($0["role"] as? String ?? "") && $0["content"] is String })
        else {
            return Self.json(["status": "error", "message": "messages must be a non-empty list of user/assistant messages"], status: 400)
        }
        switch reply {
        case .text(let text):
            return Self.respond(text, status: 200, contentType: "text/plain; charset=utf-8")
        case .error(let message, let status):
            return Self.json(["status": "error", "message": message], status: status)
        case .openAIShaped(let text):
            return Self.json(["id": "chatdata-1", "object": "chat.completion", "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]]])
        case .jsonContent(let text):
            return Self.json(["content": text])
        case .raw(let status, let contentType, let text):
            return Self.respond(text, status: status, contentType: contentType)
        }
    }

    static func json(_ object: [String: Any], status: Int = 200) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return respond(String(decoding: data, as: UTF8.self), status: status, contentType: "application/json")
    }

    static func respond(_ text: String, status: Int, contentType: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
