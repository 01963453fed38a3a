import APIInput
import Foundation
import TradingDomain

/// The one tool registry: every coach backend and the MCP server call these. Arguments are
/// validated against each tool's JSON Schema before its handler runs. No tool places an order:
/// `preview_order` returns a preview and a `confirm_order` action the user has to confirm.
public final class TradingToolbox: CoachToolbox, Sendable {
    let market: MarketDataService
    let planning: PlanningService
    let alerts: AlertEngine
    let alertRepository: any AlertRepository
    let maxAlerts: Int
    let desk: OrderDesk
    let risk: RiskEngine
    let journal: any JournalRepository
    let settings: SettingsService
    let clock: any WallClock
    /// The market calendar: every market answer says when the market is closed.
    let calendar: any MarketCalendarSource

    public init(
        market: MarketDataService, planning: PlanningService, alerts: AlertEngine, alertRepository: any AlertRepository,
        maxAlerts: Int, desk: OrderDesk, risk: RiskEngine, journal: any JournalRepository, settings: SettingsService,
        clock: any WallClock, calendar: any MarketCalendarSource = FixedMarketCalendar()
    ) {
        self.market = market
        self.planning = planning
        self.alerts = alerts
        self.alertRepository = alertRepository
        self.maxAlerts = maxAlerts
        self.desk = desk
        self.risk = risk
        self.journal = journal
        self.settings = settings
        self.clock = clock
        self.calendar = calendar
    }

    public var tools: [CoachToolDefinition] { Self.definitions }

    public func call(_ name: String, arguments: JSONValue) async -> CoachToolResult {
        guard let definition = Self.definitions.first(where: { $0.name == name }) else {
            return .failure("unknown tool '\(name)'; the tools are \(Self.definitions.map(\.name).joined(separator: ", "))", tool: name)
        }
        let problems = JSONSchemaValidator.validate(arguments, against: definition.parameters)
        guard problems.isEmpty else {
            return .failure("invalid arguments: " + problems.map { "\($0.field) \($0.message)" }.joined(separator: "; "), tool: name)
        }
        do {
            switch name {
            case "quotes": return try quotes(arguments)
            case "picks": return try await picks(arguments)
            case "validate_plan": return try await validatePlan(arguments)
            case "suggest_size": return try await suggestSize(arguments)
            case "set_alert": return try await setAlert(arguments)
            case "list_alerts": return try await listAlerts(arguments)
            case "preview_order": return try await previewOrder(arguments)
            case "cancel_order": return try await cancelOrder(arguments)
            case "add_journal_entry": return try await addJournalEntry(arguments)
            case "risk": return try await riskReport()
            case "positions": return try await positions()
            case "journal_stats": return try await journalStats(arguments)
            case "market_status": return marketStatus()
            default: return .failure("tool '\(name)' has no handler", tool: name)
            }
        } catch let failure as ValidationFailure {
            return .failure("invalid arguments: " + failure.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "), tool: name)
        } catch let error as OrderDeskError {
            return .failure(Self.describe(error), tool: name)
        } catch {
            return .failure("\(name) failed: \(error)", tool: name)
        }
    }

    static func describe(_ error: OrderDeskError) -> String {
        switch error {
        case .checksFailed(let checks):
            "refused by pre-trade checks: " + checks.filter { $0.outcome == .fail }.map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
        case .confirmationInvalid(let detail), .notFound(let detail), .plan(let detail): detail
        case .blocked(let code, let reason): "new orders are blocked (\(code)): \(reason)"
        case .broker(let error, _): error.description
        case .notCancellable(let record): "order \(record.id) is already \(record.order.status.rawValue)"
        case .notUnknown(let record): "order \(record.id) is \(record.order.status.rawValue), not unknown"
        }
    }

    // MARK: schemas

    static func schema(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .object([:])
    }

    static let symbolSchema = #"{"type":"string","minLength":1,"maxLength":21}"#
    static let priceSchema = #"{"type":"number","exclusiveMinimum":0,"maximum":10000000}"#

    public static let definitions: [CoachToolDefinition] = [
        .init(name: "quotes", description: "Latest quote per symbol (last, bid, ask, change), with its time and whether it is stale.",
              parameters: schema(#"{"type":"object","properties":{"symbols":{"type":"array","items":\#(symbolSchema),"minItems":1,"maxItems":20}},"required":["symbols"],"additionalProperties":false}"#)),
        .init(name: "picks", description: "Ranked ideas from the watchlist, each with its reason and numbers (move from the previous close, place in the day's range).",
              parameters: schema(#"{"type":"object","properties":{"limit":{"type":"integer","minimum":1,"maximum":10}},"additionalProperties":false}"#)),
        .init(name: "validate_plan", description: "Checks a trade plan (entry, stop, targets): errors, warnings, a plain-English summary and R bands.",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema),"side":{"type":"string","enum":["long","short"]},"entry":\#(priceSchema),"stop":\#(priceSchema),"targets":{"type":"array","items":\#(priceSchema),"maxItems":5},"asset_class":{"type":"string","enum":["equity","option"]}},"required":["symbol","side","entry","stop"],"additionalProperties":false}"#)),
        .init(name: "suggest_size", description: "Turns a risk budget (percent of equity or an amount) into a quantity, capped by buying power and the maximum position size.",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema),"side":{"type":"string","enum":["long","short"]},"entry":\#(priceSchema),"stop":\#(priceSchema),"risk_pct":{"type":"number","exclusiveMinimum":0,"maximum":100},"risk_amount":{"type":"number","exclusiveMinimum":0},"asset_class":{"type":"string","enum":["equity","option"]}},"required":["side","entry","stop"],"additionalProperties":false}"#)),
        .init(name: "set_alert", description: "Creates a price alert (fires once).",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema),"type":{"type":"string","enum":["price_above","price_below","price_cross","percent_change"]},"threshold":{"type":"number","exclusiveMinimum":0},"note":{"type":"string","maxLength":500}},"required":["symbol","type","threshold"],"additionalProperties":false}"#)),
        .init(name: "list_alerts", description: "Lists alerts, optionally for one symbol.",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema)},"additionalProperties":false}"#)),
        .init(name: "preview_order", description: "Previews an order (cost, commission, checks) and returns a confirm_order action for the user. It never places the order.",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema),"action":{"type":"string","enum":["buy","sell","sell_short","buy_to_cover","buy_to_open","buy_to_close","sell_to_open","sell_to_close"]},"quantity":{"type":"integer","minimum":1,"maximum":1000000},"type":{"type":"string","enum":["market","limit","stop","stop_limit"]},"limit_price":\#(priceSchema),"stop_price":\#(priceSchema),"plan_id":{"type":"string","maxLength":64}},"required":["symbol","action","quantity","type"],"additionalProperties":false}"#)),
        .init(name: "cancel_order", description: "Prepares the cancel of a working order for the user to confirm (never cancels by itself).",
              parameters: schema(#"{"type":"object","properties":{"order_id":{"type":"string","minLength":1,"maxLength":64}},"required":["order_id"],"additionalProperties":false}"#)),
        .init(name: "add_journal_entry", description: "Adds a trade to the journal.",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema),"side":{"type":"string","enum":["long","short"]},"entry_price":\#(priceSchema),"quantity":{"type":"number","exclusiveMinimum":0},"exit_price":\#(priceSchema),"stop":\#(priceSchema),"notes":{"type":"string","maxLength":5000},"tags":{"type":"array","items":{"type":"string","maxLength":32},"maxItems":10}},"required":["symbol","side","entry_price","quantity"],"additionalProperties":false}"#)),
        .init(name: "risk", description: "Portfolio risk: state (active, reducing, halted), equity, open risk, exposure, day P&L and limits.",
              parameters: schema(#"{"type":"object","properties":{},"additionalProperties":false}"#)),
        .init(name: "positions", description: "Open positions with quantity, average price, last price and unrealised P&L.",
              parameters: schema(#"{"type":"object","properties":{},"additionalProperties":false}"#)),
        .init(name: "market_status", description: "The market session now (pre-market, regular, after-hours or closed, in New York time), whether it closes early today, today's holiday, and the next open and close.",
              parameters: schema(#"{"type":"object","properties":{},"additionalProperties":false}"#)),
        .init(name: "journal_stats", description: "Journal statistics: win rate, expectancy (money and R), profit factor, drawdown, distributions, and discipline flags (trades after N losses in a row, oversize, no stop, stop moved away) with what the record would be without them.",
              parameters: schema(#"{"type":"object","properties":{"symbol":\#(symbolSchema),"tag":{"type":"string","maxLength":32},"after_losses":{"type":"integer","minimum":1,"maximum":10}},"additionalProperties":false}"#)),
    ]
}
