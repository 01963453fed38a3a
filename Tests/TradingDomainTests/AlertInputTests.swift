import APIInput
import Foundation
import Testing
import TradingDomain

@Suite("Alerts: input validation")
struct AlertInputTests {
    typealias F = AlertFixtures

    static func create(_ json: String) throws(ValidationFailure) -> AlertRule {
        try AlertInput.create(F.json(json), id: F.id(7), now: F.start)
    }

    /// The errors of a create body that must fail, as "field: message".
    static func createErrors(_ json: String) -> [String] {
        do {
            _ = try create(json)
            return ["(accepted)"]
        } catch {
            return error.errors.map { "\($0.field): \($0.message)" }
        }
    }

    static func updateErrors(_ rule: AlertRule, _ json: String) -> [String] {
        do {
            _ = try AlertInput.update(rule, patch: F.json(json), now: F.start)
            return ["(accepted)"]
        } catch {
            return error.errors.map { "\($0.field): \($0.message)" }
        }
    }

    @Test("a minimal create gets the documented defaults")
    func createDefaults() throws {
        let rule = try Self.create(#"{"symbol":" aapl ","type":"price_above","threshold":200.25}"#)
        #expect(rule.id == F.id(7))
        #expect(rule.symbol == F.aapl)
        #expect(rule.type == .priceAbove)
        #expect(rule.threshold == F.dec("200.25"))
        #expect(rule.direction == nil)
        #expect(rule.mode == .once)
        #expect(rule.cooldownSeconds == nil)
        #expect(rule.expiresAt == nil)
        #expect(rule.note == "")
        #expect(rule.status == .active)
        #expect(rule.lastSide == .unknown)
        #expect(rule.fireCount == 0)
        #expect(rule.createdAt == F.start)
        #expect(rule.updatedAt == F.start)
    }

    @Test("a full create keeps every field; percent_change defaults to direction either")
    func createFull() throws {
        let rule = try Self.create(#"""
            {"symbol":"MSFT","type":"percent_change","threshold":2.5,"mode":"repeat","cooldown_s":300,
             "expires_at":"2026-05-28T21:00:00Z","note":"gap watch","status":"disabled"}
            """#)
        #expect(rule.direction == .either)
        #expect(rule.mode == .repeat)
        #expect(rule.cooldownSeconds == 300)
        #expect(rule.expiresAt == ISO8601.parse("2026-05-28T21:00:00Z"))
        #expect(rule.note == "gap watch")
        #expect(rule.status == .disabled)
    }

    @Test("create reports every problem at once, each with its JSON field")
    func createCollectsEveryError() {
        let long = String(repeating: "n", count: 501)
        let errors = Self.createErrors(#"""
            {"symbol":"1X","type":"price_sideways","threshold":0,"mode":"repeat","cooldown_s":5,
             "expires_at":"2020-01-01T00:00:00Z","note":"\#(long)","status":"triggered","colour":"red"}
            """#)
        #expect(errors == [
            "symbol: must be a ticker of 1-10 letters, digits, '.', '/' or '-' starting with a letter (e.g. AAPL, BRK.B), "
                + "or an OCC option symbol (e.g. AAPL230616C00150000)",
            "type: must be one of 'price_above', 'price_below', 'price_cross', 'percent_change'",
            "threshold: must be greater than 0",
            "cooldown_s: must be at least 10",
            "note: must be at most 500 characters",
            "status: can only be set to 'active' or 'disabled'",
            "colour: is not a known field",
            "expires_at: must be in the future",
        ])
    }

    @Test("required fields are named when missing")
    func createRequired() {
        #expect(Self.createErrors("{}") == ["symbol: is required", "type: is required", "threshold: is required"])
        #expect(Self.createErrors("[]") == ["body: must be a JSON object, not a array"])
    }

    @Test("expires_at must be in the future at creation")
    func expiryInTheFuture() {
        #expect(Self.createErrors(#"{"symbol":"AAPL","type":"price_above","threshold":1,"expires_at":"2026-05-28T20:26:40Z"}"#)
            == ["expires_at: must be in the future"])  // exactly now
        #expect(Self.createErrors(#"{"symbol":"AAPL","type":"price_above","threshold":1,"expires_at":"tomorrow"}"#)
            == ["expires_at: must be an ISO-8601 time with a zone, e.g. 2026-01-02T14:30:00Z"])
    }

    @Test("cooldown: 10 s to 7 days, required for repeat, refused for once", arguments: [
        (#""mode":"repeat","cooldown_s":9"#, "cooldown_s: must be at least 10"),
        (#""mode":"repeat","cooldown_s":604801"#, "cooldown_s: must be at most 604800"),
        (#""mode":"repeat","cooldown_s":10.5"#, "cooldown_s: must be a whole number"),
        (#""mode":"repeat""#, "cooldown_s: is required when mode is 'repeat' (10 to 604800 seconds)"),
        (#""mode":"once","cooldown_s":60"#, "cooldown_s: applies only to mode 'repeat'"),
        (#""cooldown_s":60"#, "cooldown_s: applies only to mode 'repeat'"),
        (#""mode":"sometimes""#, "mode: must be one of 'once', 'repeat'"),
    ])
    func cooldownBounds(fields: String, expected: String) {
        #expect(Self.createErrors(#"{"symbol":"AAPL","type":"price_above","threshold":1,\#(fields)}"#) == [expected])
    }

    @Test("cooldown bounds themselves are accepted", arguments: [10, 604_800])
    func cooldownEdges(seconds: Int) throws {
        let rule = try Self.create(#"{"symbol":"AAPL","type":"price_above","threshold":1,"mode":"repeat","cooldown_s":\#(seconds)}"#)
        #expect(rule.cooldownSeconds == seconds)
    }

    @Test("threshold rules depend on the type", arguments: [
        (#""type":"price_below","threshold":-5"#, "threshold: must be greater than 0"),
        (#""type":"price_below","threshold":"5""#, "threshold: must be a number, not a string"),
        (#""type":"price_cross","threshold":10000000.01"#, "threshold: must be at most 10000000"),
        (#""type":"price_cross","threshold":1.0000001"#, "threshold: must have at most 6 decimal places"),
        (#""type":"percent_change","threshold":100"#,
         "threshold: must be less than 100 when direction is 'down' or 'either' (a price cannot fall 100%)"),
        (#""type":"percent_change","threshold":1000.5,"direction":"up""#, "threshold: must be at most 1000 (percent) for percent_change"),
        (#""type":"percent_change","threshold":1.00001"#, "threshold: must have at most 4 decimal places for percent_change"),
        (#""type":"price_above","threshold":5,"direction":"up""#, "direction: applies only to type 'percent_change'"),
        (#""type":"percent_change","threshold":5,"direction":"sideways""#, "direction: must be one of 'up', 'down', 'either'"),
    ])
    func thresholdRules(fields: String, expected: String) {
        #expect(Self.createErrors(#"{"symbol":"AAPL",\#(fields)}"#) == [expected])
    }

    @Test("percent_change up may exceed 100 percent")
    func percentUpAbove100() throws {
        let rule = try Self.create(#"{"symbol":"AAPL","type":"percent_change","threshold":150,"direction":"up"}"#)
        #expect(rule.threshold == 150)
        #expect(rule.direction == .up)
    }

    // MARK: update

    static let triggered = F.rule(1, .priceCross, "200", mode: .once, status: .triggered, lastSide: .above,
                                  lastFiredAt: F.at(-50), fireCount: 1)

    @Test("PATCH status active re-arms and forgets the side; the firing history stays")
    func rearm() throws {
        let rule = try AlertInput.update(Self.triggered, patch: F.json(#"{"status":"active"}"#), now: F.start)
        #expect(rule.status == .active)
        #expect(rule.lastSide == .unknown)
        #expect(rule.fireCount == 1)
        #expect(rule.lastFiredAt == F.at(-50))
        #expect(rule.updatedAt == F.start)
    }

    @Test("re-arming an expired alert needs a new future expires_at (or none)")
    func rearmExpired() throws {
        var expired = F.rule(1, .priceAbove, "10", expiresAt: F.at(-1), status: .expired)
        expired.lastSide = .above
        #expect(Self.updateErrors(expired, #"{"status":"active"}"#)
            == ["expires_at: must be in the future to re-activate the alert (send a new time, or null for none)"])
        let renewed = try AlertInput.update(expired, patch: F.json(#"{"status":"active","expires_at":null}"#), now: F.start)
        #expect(renewed.status == .active)
        #expect(renewed.expiresAt == nil)
        let later = try AlertInput.update(
            expired, patch: F.json(#"{"status":"active","expires_at":"2026-06-01T00:00:00Z"}"#), now: F.start)
        #expect(later.expiresAt == ISO8601.parse("2026-06-01T00:00:00Z"))
    }

    @Test("changing what the alert watches forgets the side; a note does not")
    func definitionChangeResetsSide() throws {
        let active = F.rule(1, .priceCross, "200", lastSide: .below)
        #expect(try AlertInput.update(active, patch: F.json(#"{"threshold":201}"#), now: F.start).lastSide == .unknown)
        #expect(try AlertInput.update(active, patch: F.json(#"{"threshold":200.000}"#), now: F.start).lastSide == .below)
        #expect(try AlertInput.update(active, patch: F.json(#"{"note":"hi"}"#), now: F.start).lastSide == .below)
        let retyped = try AlertInput.update(active, patch: F.json(#"{"type":"percent_change","threshold":3}"#), now: F.start)
        #expect(retyped.direction == .either)
        #expect(retyped.lastSide == .unknown)
        #expect(retyped.status == .active)
    }

    @Test("mode once drops the cooldown; repeat needs one")
    func modeChanges() throws {
        let repeating = F.rule(1, .priceAbove, "5", mode: .repeat, cooldown: 60)
        let once = try AlertInput.update(repeating, patch: F.json(#"{"mode":"once"}"#), now: F.start)
        #expect(once.cooldownSeconds == nil)
        #expect(Self.updateErrors(F.rule(1, .priceAbove, "5"), #"{"mode":"repeat"}"#)
            == ["cooldown_s: is required when mode is 'repeat' (10 to 604800 seconds)"])
        #expect(Self.updateErrors(repeating, #"{"cooldown_s":null}"#)
            == ["cooldown_s: is required when mode is 'repeat' (10 to 604800 seconds)"])
    }

    @Test("PATCH reports every problem at once; read-only fields may be echoed back")
    func updateCollectsErrors() {
        let errors = Self.updateErrors(Self.triggered, #"""
            {"symbol":null,"type":"nope","threshold":0,"status":"expired","expires_at":"2020-01-01T00:00:00Z",
             "id":"x","fire_count":9,"last_side":"above","created_at":1,"updated_at":2,"last_fired_at":3,"what":1}
            """#)
        #expect(errors == [
            "symbol: cannot be null",
            "type: must be one of 'price_above', 'price_below', 'price_cross', 'percent_change'",
            "threshold: must be greater than 0",
            "status: can only be set to 'active' or 'disabled'",
            "what: is not a known field",
            "expires_at: must be in the future",
        ])
    }

    @Test("PATCH status disabled disables from any state")
    func disable() throws {
        let rule = try AlertInput.update(Self.triggered, patch: F.json(#"{"status":"disabled"}"#), now: F.at(5))
        #expect(rule.status == .disabled)
        #expect(rule.updatedAt == F.at(5))
        #expect(rule.lastSide == .above)
    }

    // MARK: queries

    @Test("alert and trigger queries read their parameters and name every bad one")
    func queries() throws {
        let query = try AlertQuery(parameters: ["status": "Active", "symbol": "msft", "limit": "20"])
        #expect(query == AlertQuery(status: .active, symbol: F.msft, limit: 20))
        #expect(throws: ValidationFailure([
            FieldError(field: "page", message: "is not a known query parameter (allowed: cursor, limit, status, symbol)"),
            FieldError(field: "status", message: "must be one of 'active', 'triggered', 'expired', 'disabled'"),
            FieldError(field: "limit", message: "must be a whole number from 1 to 200"),
            FieldError(field: "cursor", message: "is not a cursor returned by this endpoint"),
        ])) { try AlertQuery(parameters: ["status": "on", "limit": "0", "cursor": "!!", "page": "2"]) }
        let triggers = try AlertTriggerQuery(parameters: ["alert_id": F.id(3).uuidString, "source": "catch_up"])
        #expect(triggers.alertID == F.id(3))
        #expect(triggers.source == .catchUp)
        #expect(throws: ValidationFailure([FieldError(field: "to", message: "must not be before from")])) {
            try AlertTriggerQuery(parameters: ["from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"])
        }
    }
}
