import Foundation
import HummingbirdTesting
import Server
import Testing
import TestSupport
import TradingDomain
import TradingEngine

/// The server configured with each outside coach backend, against its loopback fake: the wiring
/// from the environment, the shared tools over real engines, and the API's answer.
@Suite("Coach backends through the API")
struct CoachBackendsAPITests {
    @Test("OpenAI-compatible: a two-tool conversation over the real registry; the key is sent and never logged")
    func openAICompatible() async throws {
        let fake = OpenAIFake(variant: .ollama, requiredKey: "sk-model-key-0123456789")
        fake.enqueue(
            .toolCalls([.init("quotes", #"{"symbols":["AAPL"]}"#)]),
            .toolCalls([.init("risk", "{}")]),
            .text("AAPL is quoted and your risk is fine."))
        try await fake.start()
        let sink = LogSink.memory()
        try await withApp(configure: {
            $0.coach.backend = .openai
            $0.coach.openAI.baseURL = fake.baseURL
            $0.coach.openAI.apiKey = "sk-model-key-0123456789"
            $0.coach.model = "llama3.1"
        }, logSink: sink) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let answer = try await CoachAPITests.chat(client, "what's AAPL at and how's my risk?")
            #expect(answer["backend"]?.string == "openai")
            #expect(answer["reply"]?.string == "AAPL is quoted and your risk is fine.")
            #expect(answer["tools_used"]?.array == [.string("quotes"), .string("risk")])
            let sources = answer["sources"]?.array ?? []
            #expect(sources.contains { $0["tool"]?.string == "quotes" && $0["as_of"]?.string != nil })
            #expect(sources.contains { $0["tool"]?.string == "risk" })
            #expect(fake.requests.count == 3)
            #expect(fake.requests.first?.headers["authorization"] == "Bearer sk-model-key-0123456789")
            #expect(fake.requests.first?.toolNames.count == 13, "the registry's tools are offered")
            let toolMessage = fake.requests[1].messages.last
            #expect(toolMessage?["role"] as? String == "tool")
            #expect((toolMessage?["content"] as? String)?.contains("AAPL") == true, "the quote went back to the model")
        }
        #expect(!sink.lines.joined().contains("sk-model-key-0123456789"), "the model key is never logged")
        await fake.stop()
    }

    @Test("OpenAI-compatible: a model that calls cancel_order cancels nothing; the reply carries a confirm_cancel action")
    func modelCannotCancel() async throws {
        let fake = OpenAIFake(variant: .openai)
        try await fake.start()
        try await withApp(configure: {
            $0.coach.backend = .openai
            $0.coach.openAI.baseURL = fake.baseURL
        }) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let order = try await OrdersAPITests.place(client, #"{"symbol":"MSFT","action":"buy","quantity":1,"type":"limit","limit_price":1,"duration":"gtc"}"#)
            let id = try #require(order["id"]?.string)
            // A hostile endpoint (or text injected into tool data) asks to cancel a working order.
            fake.enqueue(.toolCalls([.init("cancel_order", #"{"order_id":"\#(id)"}"#)]), .text("I cancelled your stop."))
            let answer = try await CoachAPITests.chat(client, "what's MSFT doing?")
            let action = try #require(answer["actions"]?[0], "\(answer)")
            #expect(action["type"]?.string == "confirm_cancel")
            #expect(action["order"]?["id"]?.string == id)
            let status = try await client.api(.get, "/api/v1/orders/\(id)").value()["status"]?.string
            #expect(["open", "submitted"].contains(status ?? ""), "the order is still working: \(status ?? "nil")")
            let toolMessage = fake.requests.last?.messages.last
            #expect((toolMessage?["content"] as? String)?.contains("\"cancelled\":false") == true, "the model is told nothing was cancelled")
        }
        await fake.stop()
    }

    @Test("Chat Data: tools chosen on our side, their results sent as data, the plain-text answer returned; an error status is a 502")
    func chatData() async throws {
        let fake = ChatDataFake()
        fake.enqueue(.text("AAPL trades near its recent level."), .error("quota exceeded"))
        try await fake.start()
        try await withApp(configure: {
            $0.coach.backend = .chatdata
            $0.coach.chatData.apiKey = ChatDataFake.validKey
            $0.coach.chatData.chatbotID = ChatDataFake.chatbotID
            $0.coach.chatData.baseURL = fake.baseURL
        }) { client, _ in
            try await OrdersAPITests.waitReady(client)
            let answer = try await CoachAPITests.chat(client, "what's AAPL at?")
            #expect(answer["backend"]?.string == "chatdata")
            #expect(answer["reply"]?.string == "AAPL trades near its recent level.")
            #expect(answer["sources"]?.array?.contains { $0["tool"]?.string == "quotes" } == true)
            let sent = try #require(fake.requests.first)
            #expect(sent.json()["chatbotId"] as? String == ChatDataFake.chatbotID)
            #expect(sent.lastContent.contains("AAPL"), "the quote was given as context")
            let failed = try await client.api(.post, "/api/v1/coach/chat", json: #"{"message":"what's MSFT at?"}"#)
            #expect(failed.status == .badGateway)
            #expect(try failed.json()["code"] as? String == "coach_backend_failed")
            #expect(failed.text.contains("quota exceeded"))
        }
        await fake.stop()
    }
}
