import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TradingEngine

/// A loopback fake of an OpenAI-compatible `POST /v1/chat/completions` (contract section 4.2) that
/// answers each request with the next scripted turn, shaped like the chosen server:
///
/// - `.openai`: `content: null` beside tool calls, `arguments` a JSON string, `finish_reason: "tool_calls"`,
///   and `tool_choice: "none"` honoured (a scripted tool turn becomes a short text answer);
/// - `.ollama`: `content: ""`, an `index` on each call, `finish_reason: "tool_calls"`,
///   `system_fingerprint: "fp_ollama"`, a `reasoning` field, and `tool_choice` ignored;
/// - `.llamacpp`: empty call ids, `arguments` as a JSON object (a string when the script's text is not
///   JSON), `finish_reason: "tool"`, `reasoning_content`; `tool_choice: "none"` honoured;
/// - `.llamacppUnwrapped`: as `.llamacpp`, with calls lacking the `function` wrapper (the llama.cpp docs' shape).
///
/// Every request is recorded. With `requiredKey` set, a missing or wrong Bearer gets 401 in OpenAI's error shape.
public final class OpenAIFake: Sendable {
    public enum Variant: String, Sendable, CaseIterable {
        case openai, ollama, llamacpp, llamacppUnwrapped
    }

    /// One tool call of a scripted turn; `arguments` is the raw text the model "wrote" (may be invalid JSON).
    public struct ScriptedCall: Sendable, Hashable {
        public var name: String
        public var arguments: String
        public init(_ name: String, _ arguments: String) {
            self.name = name
            self.arguments = arguments
        }
    }

    public enum Turn: Sendable, Hashable {
        /// The assistant asks for these tools.
        case toolCalls([ScriptedCall])
        /// The assistant answers with text.
        case text(String, finishReason: String = "stop")
        /// `status` with `{"error":{"message","type","param":null,"code":null}}`.
        case error(status: Int, message: String)
        /// Anything else, verbatim.
        case raw(status: Int, body: String)
    }

    /// One request as received.
    public struct RecordedRequest: Sendable {
        public var path: String
        /// Lower-cased names.
        public var headers: [String: String]
        public var body: Data
        public func json() -> [String: Any] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        }
        /// `messages` of the request.
        public var messages: [[String: Any]] { (json()["messages"] as? [[String: Any]]) ?? [] }
        /// Names of the `tools` offered.
        public var toolNames: [String] {
            ((json()["tools"] as? [[String: Any]]) ?? []).compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        }
        public var toolChoice: String? { json()["tool_choice"] as? String }
    }

    struct State {
        var script: [Turn] = []
        var defaultTurn: Turn = .text("(no scripted turn left)")
        var requests: [RecordedRequest] = []
        var completions = 0
    }

    public let variant: Variant
    public let requiredKey: String?
    let state = Shared(State())
    private let server = LoopbackServer()

    public init(variant: Variant = .openai, requiredKey: String? = nil) {
        self.variant = variant
        self.requiredKey = requiredKey
    }

    public var port: Int { server.port }
    /// The base URL a client is configured with (`OPENAI_BASE_URL`), ending in `/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    public var pendingTurns: [Turn] { state.withLock { $0.script } }

    /// The answer when the script is empty.
    public var defaultTurn: Turn {
        get { state.withLock { $0.defaultTurn } }
        set { state.withLock { $0.defaultTurn = newValue } }
    }

    /// Appends turns; each request takes the next one.
    public func enqueue(_ turns: Turn...) {
        state.withLock { $0.script.append(contentsOf: turns) }
    }

    public func start() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.post("v1/chat/completions") { request, _ in try await self.handle(request) }
        await server.start { onServerRunning in
            Application(
                router: router,
                configuration: LoopbackServer.configuration, onServerRunning: onServerRunning,
                logger: LoopbackServer.quietLogger("openai-fake"))
        }
    }

    public func stop() async {
        await server.stop()
    }

    private func handle(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let recorded = RecordedRequest(path: request.uri.path, headers: headers, body: Data(buffer: body))
        let (turn, number) = state.withLock { state -> (Turn, Int) in
            state.requests.append(recorded)
            state.completions += 1
            return (state.script.isEmpty ? state.defaultTurn : state.script.removeFirst(), state.completions)
        }
        if let requiredKey, headers["authorization"] != "Bearer \(requiredKey)" {
            return Self.respond(Self.errorBody("Incorrect API key provided.", type: "invalid_request_error"), status: 401)
        }
        let object = recorded.json()
        guard object["messages"] is [Any], object["model"] is String else {
            return Self.respond(Self.errorBody("'model' and 'messages' are required", type: "invalid_request_error"), status: 400)
        }
        let model = (object["model"] as? String) ?? "fake"
        switch turn {
        case .error(let status, let message):
            let type = status == 400 ? "invalid_request_error" : status == 404 ? "not_found_error" : "api_error"
            return Self.respond(Self.errorBody(message, type: type), status: status)
        case .raw(let status, let text):
            return Self.respond(text, status: status)
        case .text(let text, let finishReason):
            return Self.respond(completion(message: textMessage(text), finishReason: finishReason, model: model, number: number))
        case .toolCalls(let calls):
            if recorded.toolChoice == "none" && variant != .ollama {
                return Self.respond(completion(message: textMessage("Answering without tools."), finishReason: "stop", model: model, number: number))
            }
            let finish = variant == .llamacpp || variant == .llamacppUnwrapped ? "tool" : "tool_calls"
            return Self.respond(completion(message: toolMessage(calls, number: number), finishReason: finish, model: model, number: number))
        }
    }

    private func textMessage(_ text: String) -> [String: Any] {
        var message: [String: Any] = ["role": "assistant", "content": text]
        switch variant {
        case .ollama: message["reasoning"] = "The user wants an answer."
        case .llamacpp, .llamacppUnwrapped: message["reasoning_content"] = "Thinking about the answer."
        case .openai: message["refusal"] = NSNull()
        }
        return message
    }

    private func toolMessage(_ calls: [ScriptedCall], number: Int) -> [String: Any] {
        let rendered: [[String: Any]] = calls.enumerated().map { index, call in
            switch variant {
            case .openai:
                return ["id": "call_\(number)_\(index)", "type": "function", "function": ["name": call.name, "arguments": call.arguments]]
            case .ollama:
                return ["id": "call_\(UUID().uuidString.prefix(8).lowercased())", "index": index, "type": "function",
                        "function": ["name": call.name, "arguments": call.arguments]]
            case .llamacpp:
                return ["id": "", "type": "function", "function": ["name": call.name, "arguments": Self.object(call.arguments)]]
            case .llamacppUnwrapped:
                return ["name": call.name, "arguments": Self.object(call.arguments)]
            }
        }
        var message: [String: Any] = ["role": "assistant", "tool_calls": rendered]
        switch variant {
        case .openai: message["content"] = NSNull()
        case .ollama:
            message["content"] = ""
            message["reasoning"] = "I should call a tool."
        case .llamacpp, .llamacppUnwrapped:
            message["content"] = NSNull()
            message["reasoning_content"] = "I should call a tool."
        }
        return message
    }

    /// The script's argument text as a JSON object when it parses, else the text itself (malformed output).
    static func object(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
    }

    private func completion(message: [String: Any], finishReason: String, model: String, number: Int) -> String {
        var body: [String: Any] = [
            "id": "chatcmpl-fake-\(number)", "object": "chat.completion", "created": 1_727_287_211, "model": model,
            "choices": [["index": 0, "finish_reason": finishReason, "message": message]],
            "usage": ["prompt_tokens": 44, "completion_tokens": 16, "total_tokens": 60],
        ]
        if variant == .ollama { body["system_fingerprint"] = "fp_ollama" }
        if variant == .llamacpp || variant == .llamacppUnwrapped { body["timings"] = ["predicted_ms": 12.5] }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func errorBody(_ message: String, type: String) -> String {
        let body: [String: Any] = ["error": ["message": message, "type": type, "param": NSNull(), "code": NSNull()]]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func respond(_ text: String, status: Int = 200, contentType: String = "application/json") -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
