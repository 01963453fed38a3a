@testable import Coach
import Foundation
import Testing
import TradingDomain

/// Reading the shapes of section 4.2 that the fake's variants do not all produce.
@Suite("OpenAI wire format")
struct OpenAIWireTests {
    func reply(_ json: String) throws -> OpenAIReply {
        try OpenAIWire.parseReply(Data(json.utf8), round: 3)
    }

    @Test func contentPartsAndReasoningAreRead() throws {
        let parsed = try reply(#"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","reasoning_content":"hmm","content":[{"type":"text","text":"AAPL "},{"type":"text","text":"is up."}]}}]}"#)
        #expect(parsed.content == "AAPL is up.")
        #expect(parsed.toolCalls.isEmpty)
        #expect(parsed.finishReason == "stop")
    }

    @Test func argumentsInEveryShape() throws {
        let parsed = try reply(#"""
            {"choices":[{"finish_reason":"tool_call","message":{"content":"","tool_calls":[
              {"id":"a","type":"function","function":{"name":"quotes","arguments":"{\"symbols\":[\"AAPL\"]}"}},
              {"id":"","type":"function","function":{"name":"risk","arguments":{}}},
              {"type":"function","function":{"name":"positions","arguments":""}},
              {"name":"quotes","arguments":"\"{\\\"symbols\\\":[\\\"MSFT\\\"]}\""},
              {"id":"e","function":{"name":"quotes","arguments":"[1,2]"}},
              {"id":"f","function":{"arguments":"{}"}}
            ]}}]}
            """#)
        let calls = parsed.toolCalls
        #expect(calls.map(\.id) == ["a", "call_3_1", "call_3_2", "call_3_3", "e", "f"])
        #expect(calls[0].arguments == .object(["symbols": .array([.string("AAPL")])]))
        #expect(calls[1].arguments == .object([:]))
        #expect(calls[2].arguments == .object([:]))
        #expect(calls[3].arguments == .object(["symbols": .array([.string("MSFT")])]), "a JSON string holding JSON")
        #expect(calls[4].argumentError == "arguments must be a JSON object, not array")
        #expect(calls[5].argumentError == "the tool call has no function name")
        #expect(parsed.content == "")
    }

    @Test func malformedBodiesThrow() {
        #expect(throws: CoachBackendError.malformed(backend: "openai", detail: "the body is not a JSON object")) { try reply("Bad Gateway") }
        #expect(throws: CoachBackendError.malformed(backend: "openai", detail: "no choices in the answer")) { try reply(#"{"choices":[]}"#) }
        #expect(throws: CoachBackendError.service(backend: "openai", status: nil, message: "boom")) { try reply(#"{"error":"boom"}"#) }
    }

    @Test func assistantEchoAlwaysHasValidJSONArguments() throws {
        let call = OpenAIToolCall(id: "x", name: "quotes", arguments: nil, argumentError: "arguments are not valid JSON")
        let echoed = OpenAIWire.assistantMessage(OpenAIReply(content: nil, toolCalls: [call], finishReason: "tool_calls"))
        #expect(CoachWire.text(echoed).contains(#""arguments":"{}""#))
        #expect(CoachWire.text(echoed).contains(#""content":"""#))
    }

    @Test func baseURLsAreJoinedOnce() throws {
        #expect(try CoachHTTP.url(base: "http://127.0.0.1:11434/v1/", path: "/chat/completions", setting: "X") == "http://127.0.0.1:11434/v1/chat/completions")
        #expect(throws: CoachBackendError.self) { try CoachHTTP.url(base: "ftp://x", path: "/a", setting: "X") }
    }
}
