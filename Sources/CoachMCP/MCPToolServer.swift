import APIInput
import Coach
import Foundation
import Logging
import MCP
import TradingDomain
import TradingEngine

/// Serves the coach's tools over MCP on standard input/output until the client disconnects
/// (`trading-assistant mcp`). Nothing but MCP messages may be written to stdout meanwhile: send logs to stderr.
///
/// `tools/list` lists every tool of `toolbox` (name, description, input schema); `tools/call`
/// validates the arguments against the schema and runs the tool; the result is a short summary
/// followed by the JSON result (also as `structuredContent`), with `isError` when it failed. There is
/// no order-placing tool: `preview_order` returns a preview the user confirms in the app.
public func serveMCP(toolbox: any CoachToolbox, name: String = "trading-assistant", version: String) async throws {
    let server = await makeMCPServer(toolbox: toolbox, name: name, version: version)
    try await server.start(transport: StdioTransport())
    await server.waitUntilCompleted()
    await server.stop()
}

/// An MCP server answering `tools/list` and `tools/call` from `toolbox`, not yet started (for tests
/// with `InMemoryTransport`, or another transport).
public func makeMCPServer(toolbox: any CoachToolbox, name: String = "trading-assistant", version: String) async -> Server {
    let server = Server(
        name: name, version: version,
        instructions: "Trading Assistant tools: quotes, ideas, plan checks, sizing, alerts, order previews (confirmed by the user, never placed here), journal, risk and positions.",
        capabilities: .init(tools: .init(listChanged: false)))
    await server.withMethodHandler(ListTools.self) { _ in
        ListTools.Result(tools: toolbox.tools.map(MCPBridge.tool))
    }
    await server.withMethodHandler(CallTool.self) { params in
        await MCPBridge.call(params, toolbox: toolbox)
    }
    return server
}

/// Conversions between the coach's tools and MCP's types.
public enum MCPBridge {
    public static func tool(_ definition: CoachToolDefinition) -> Tool {
        let readOnly = !["set_alert", "preview_order", "cancel_order", "add_journal_entry"].contains(definition.name)
        return Tool(
            name: definition.name, description: definition.description, inputSchema: value(definition.parameters),
            annotations: .init(readOnlyHint: readOnly, destructiveHint: definition.name == "cancel_order", openWorldHint: false))
    }

    static func call(_ params: CallTool.Parameters, toolbox: any CoachToolbox) async -> CallTool.Result {
        let arguments = JSONValue.object((params.arguments ?? [:]).mapValues(jsonValue))
        let result = await ToolRunner.run(params.name, arguments: arguments, toolbox: toolbox)
        let record = CoachToolCall(name: params.name, arguments: arguments, result: result)
        var payload = CoachWire.resultObject(record, includeActions: true)
        if !result.actions.isEmpty, case .object(var object) = payload {
            object["confirmation"] = .string(
                "Not placed. The user confirms this preview in Trading Assistant (POST /api/v1/orders with the confirmation_token).")
            payload = .object(object)
        }
        let summary = result.ok ? result.summary : "Error: \(result.error ?? result.summary)"
        let structured: Value? = value(payload)
        let content: [Tool.Content] = [
            .text(text: summary, annotations: nil, _meta: nil), .text(text: CoachWire.text(payload), annotations: nil, _meta: nil),
        ]
        return CallTool.Result(content: content, structuredContent: structured, isError: !result.ok, _meta: nil)
    }

    /// JSONValue → MCP Value; whole numbers become integers, others doubles (MCP's JSON has no decimals).
    public static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(value))
        case .object(let object): return .object(object.mapValues(value))
        case .number(let number):
            if number.isWhole, number.magnitudeValue < 1_000_000_000_000_000 {
                return .int(NSDecimalNumber(decimal: number).intValue)
            }
            return .double(Double("\(number)") ?? NSDecimalNumber(decimal: number).doubleValue)
        }
    }

    /// MCP Value → JSONValue; doubles go through their shortest text form so 190.12 stays 190.12.
    public static func jsonValue(_ value: Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Decimal(number))
        case .double(let number):
            guard number.isFinite else { return .null }
            return .number(Decimal(string: "\(number)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(number))
        case .string(let text): return .string(text)
        case .data(_, let data): return .string(data.base64EncodedString())
        case .array(let items): return .array(items.map(jsonValue))
        case .object(let object): return .object(object.mapValues(jsonValue))
        }
    }
}
