import APIInput
import Foundation
import TradingDomain
import TradingEngine

/// The thirteen tools with the names and argument schemas the integrator's registry uses.
extension StubToolbox {
    static let schemas: [(String, String, String)] = [
        ("quotes", "Latest quote per symbol, with time and staleness.",
         #"{"type":"object","properties":{"symbols":{"type":"array","items":{"type":"string","minLength":1,"maxLength":21},"minItems":1,"maxItems":20}},"required":["symbols"],"additionalProperties":false}"#),
        ("picks", "Ranked ideas from the watchlist, each with its reason and numbers.",
         #"{"type":"object","properties":{"limit":{"type":"integer","minimum":1,"maximum":10}},"additionalProperties":false}"#),
        ("validate_plan", "Checks a trade plan.",
         #"{"type":"object","properties":{"symbol":{"type":"string","minLength":1},"side":{"type":"string","enum":["long","short"]},"entry":{"type":"number","exclusiveMinimum":0},"stop":{"type":"number","exclusiveMinimum":0},"targets":{"type":"array","items":{"type":"number","exclusiveMinimum":0},"maxItems":5},"asset_class":{"type":"string","enum":["equity","option"]}},"required":["symbol","side","entry","stop"],"additionalProperties":false}"#),
        ("suggest_size", "Turns a risk budget into a quantity.",
         #"{"type":"object","properties":{"symbol":{"type":"string"},"side":{"type":"string","enum":["long","short"]},"entry":{"type":"number","exclusiveMinimum":0},"stop":{"type":"number","exclusiveMinimum":0},"risk_pct":{"type":"number","exclusiveMinimum":0,"maximum":100},"risk_amount":{"type":"number","exclusiveMinimum":0},"asset_class":{"type":"string","enum":["equity","option"]}},"required":["side","entry","stop"],"additionalProperties":false}"#),
        ("set_alert", "Creates a price alert.",
         #"{"type":"object","properties":{"symbol":{"type":"string","minLength":1},"type":{"type":"string","enum":["price_above","price_below","price_cross","percent_change"]},"threshold":{"type":"number"},"note":{"type":"string","maxLength":500}},"required":["symbol","type","threshold"],"additionalProperties":false}"#),
        ("list_alerts", "Lists alerts.",
         #"{"type":"object","properties":{"symbol":{"type":"string"}},"additionalProperties":false}"#),
        ("preview_order", "Previews an order; returns a confirm action. Never places it.",
         #"{"type":"object","properties":{"symbol":{"type":"string","minLength":1},"action":{"type":"string","enum":["buy","sell","sell_short","buy_to_cover","buy_to_open","buy_to_close","sell_to_open","sell_to_close"]},"quantity":{"type":"integer","minimum":1},"type":{"type":"string","enum":["market","limit","stop","stop_limit"]},"limit_price":{"type":"number","exclusiveMinimum":0},"stop_price":{"type":"number","exclusiveMinimum":0},"plan_id":{"type":"string"}},"required":["symbol","action","quantity","type"],"additionalProperties":false}"#),
        ("cancel_order", "Cancels an open order.",
         #"{"type":"object","properties":{"order_id":{"type":"string","minLength":1}},"required":["order_id"],"additionalProperties":false}"#),
        ("add_journal_entry", "Adds a journal entry.",
         #"{"type":"object","properties":{"symbol":{"type":"string","minLength":1},"side":{"type":"string","enum":["long","short"]},"entry_price":{"type":"number","exclusiveMinimum":0},"quantity":{"type":"number","exclusiveMinimum":0},"exit_price":{"type":"number","exclusiveMinimum":0},"stop":{"type":"number","exclusiveMinimum":0},"notes":{"type":"string","maxLength":5000},"tags":{"type":"array","items":{"type":"string"}}},"required":["symbol","side","entry_price","quantity"],"additionalProperties":false}"#),
        ("risk", "Equity, open risk, exposure, P&L and limits.", #"{"type":"object","properties":{},"additionalProperties":false}"#),
        ("positions", "Open positions.", #"{"type":"object","properties":{},"additionalProperties":false}"#),
        ("journal_stats", "Journal statistics.",
         #"{"type":"object","properties":{"symbol":{"type":"string"},"tag":{"type":"string"}},"additionalProperties":false}"#),
        ("market_status", "The market session now and the next open and close.", #"{"type":"object","properties":{},"additionalProperties":false}"#),
    ]

    static let definitions: [CoachToolDefinition] = schemas.map { name, description, schema in
        let parameters = (try? JSONDecoder().decode(JSONValue.self, from: Data(schema.utf8))) ?? .object([:])
        return CoachToolDefinition(name: name, description: description, parameters: parameters)
    }
}
