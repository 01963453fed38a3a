import Coach
import CoachMCP
import Foundation
import MCP
import Testing
import TradingDomain
import TradingEngine

/// The MCP server over the SDK's in-memory transport, with a real MCP client.
@Suite("MCP tool server")
struct MCPToolServerTests {
    func withClient(_ toolbox: StubToolbox, _ body: (Client) async throws -> Void) async throws {
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        let server = await makeMCPServer(toolbox: toolbox, version: "test")
        try await server.start(transport: serverTransport)
        let client = Client(name: "test-client", version: "1.0")
        _ = try await client.connect(transport: clientTransport)
        do {
            try await body(client)
        } catch {
            await client.disconnect()
            await server.stop()
            throw error
        }
        await client.disconnect()
        await server.stop()
    }

    func texts(_ content: [Tool.Content]) -> [String] {
        content.compactMap { if case .text(let text, _, _) = $0 { return text } else { return nil } }
    }

    @Test func listsEveryToolWithItsSchema() async throws {
        let toolbox = StubToolbox()
        try await withClient(toolbox) { client in
            let (tools, _) = try await client.listTools()
            #expect(tools.map(\.name) == toolbox.tools.map(\.name))
            let quotes = try #require(tools.first { $0.name == "quotes" })
            #expect(quotes.inputSchema.objectValue?["required"] == .array(["symbols"]))
            #expect(quotes.inputSchema.objectValue?["additionalProperties"] == .bool(false))
            #expect(quotes.annotations.readOnlyHint == true)
            #expect(tools.first { $0.name == "preview_order" }?.annotations.readOnlyHint == false)
        }
    }

    @Test func callReturnsSummaryAndJSON() async throws {
        let toolbox = StubToolbox()
        try await withClient(toolbox) { client in
            let (content, isError) = try await client.callTool(name: "quotes", arguments: ["symbols": ["AAPL"]])
            #expect(isError == false)
            let parts = texts(content)
            #expect(parts.first == "AAPL last 190.12.")
            let json = try #require(parts.last.flatMap(CoachWire.parse)?.objectValue)
            #expect(json["ok"] == .bool(true))
            #expect(CoachWire.text(json["data"] ?? .null).contains("190.12"))
            #expect(toolbox.arguments(of: "quotes") == .object(["symbols": .array([.string("AAPL")])]))
        }
    }

    @Test func previewIsAConfirmActionNeverAPlacedOrder() async throws {
        let toolbox = StubToolbox()
        try await withClient(toolbox) { client in
            let (content, isError) = try await client.callTool(
                name: "preview_order", arguments: ["symbol": "AAPL", "action": "buy", "quantity": 10, "type": "market"])
            #expect(isError == false)
            let json = try #require(texts(content).last)
            #expect(json.contains(#""type":"confirm_order""#) && json.contains("tok-123"))
            #expect(json.contains("Not placed"))
            #expect(toolbox.calls == ["preview_order"])
        }
    }

    @Test func badCallsAreErrorsAndNeverReachHandlers() async throws {
        let toolbox = StubToolbox()
        try await withClient(toolbox) { client in
            let placed = try await client.callTool(name: "place_order", arguments: ["symbol": "TSLA", "quantity": 100])
            #expect(placed.isError == true)
            #expect(texts(placed.content).first?.contains("never places orders") == true)
            let invalid = try await client.callTool(name: "suggest_size", arguments: ["side": "sideways", "entry": 190.5])
            #expect(invalid.isError == true)
            let message = try #require(texts(invalid.content).first)
            #expect(message.contains("side must be one of") && message.contains("stop is required"))
            #expect(toolbox.calls.isEmpty)
        }
    }

    @Test func valuesConvertExactly() {
        #expect(MCPBridge.jsonValue(.double(190.12)) == .number(dec("190.12")))
        #expect(MCPBridge.jsonValue(.int(10)) == .number(10))
        #expect(MCPBridge.value(.number(dec("190.12"))) == .double(190.12))
        #expect(MCPBridge.value(.number(10)) == .int(10))
    }
}
