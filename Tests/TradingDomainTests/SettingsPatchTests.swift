import APIInput
import Foundation
import Testing
import TradingDomain

@Suite("Settings patch")
struct SettingsPatchTests {
    static func patch(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    @Test("an empty patch changes nothing")
    func emptyPatch() throws {
        #expect(try AppSettings.defaults.applying(patch: Self.patch("{}")) == .defaults)
    }

    @Test("null clears optional limits but not required ones")
    func nullHandling() throws {
        var settings = AppSettings.defaults
        settings.risk.maxDailyLossPct = 2
        let cleared = try settings.applying(patch: Self.patch(#"{"risk":{"max_daily_loss_pct":null}}"#))
        #expect(cleared.risk.maxDailyLossPct == nil)
        #expect(throws: ValidationFailure([FieldError(field: "risk.max_daily_loss", message: "cannot be null")])) {
            try settings.applying(patch: Self.patch(#"{"risk":{"max_daily_loss":null}}"#))
        }
    }

    @Test("risk per trade may not exceed the open-risk limit")
    func crossFieldRule() throws {
        #expect(throws: ValidationFailure.self) {
            try AppSettings.defaults.applying(patch: Self.patch(#"{"risk":{"risk_per_trade_pct":7}}"#))
        }
        let raised = try AppSettings.defaults.applying(patch: Self.patch(#"{"risk":{"risk_per_trade_pct":7,"max_open_risk_pct":10}}"#))
        #expect(raised.risk.riskPerTradePct == 7)
    }

    @Test("stored documents from older versions load with defaults for new fields")
    func forwardCompatibleDecoding() throws {
        let stored = #"{"risk":{"max_daily_loss":500}}"#
        let settings = try JSONDecoder().decode(AppSettings.self, from: Data(stored.utf8))
        #expect(settings.risk.maxDailyLoss == 500)
        #expect(settings.risk.riskPerTradePct == 1)
        #expect(settings.account == AccountSettings())
    }
}
