import APIInput
import Foundation
import Testing
import TradingDomain
@testable import TradingEngine
import TradingEngineTesting

/// Sizing's defaults: the broker's account when it can be read, else the settings (issue 17).
@Suite("Planning service: the account sizing uses")
struct PlanningServiceTests {
    let settings = SettingsService(repository: InMemorySettingsRepository(AppSettings(
        risk: RiskSettings(riskPerTradePct: 1), account: AccountSettings(equity: 50_000))))
    let body = JSONValue.object(["side": .string("long"), "entry": .number(50), "stop": .number(48)])

    func account(equity: Decimal, buyingPower: Decimal) -> BrokerAccount {
        BrokerAccount(
            broker: "tradier", accountNumber: "VA1", equity: equity, cash: equity, buyingPower: buyingPower,
            longMarketValue: 0, shortMarketValue: 0, asOf: Date(timeIntervalSince1970: 0))
    }

    @Test("1 % risk is computed from the broker's equity, and the broker's buying power caps the size")
    func brokerEquityAndBuyingPower() async throws {
        let service = PlanningService(settings: settings, brokerAccount: { account(equity: 8_000, buyingPower: 1_500) })
        let answer = try await service.suggestSize(body)
        #expect(answer.accountSource == "broker")
        #expect(answer.equity == 8_000)
        // 1 % of 8,000 = 80 → 40 shares by risk; 1,500 of buying power → 30 shares of 50.
        #expect(answer.result.riskBudget == 80)
        #expect(answer.result.quantity == 30)
        #expect(answer.result.cappedBy == .buyingPower)
    }

    @Test("a broker that cannot be read: the settings' equity, with a warning that says why")
    func brokerUnreadable() async throws {
        let service = PlanningService(settings: settings, brokerAccount: { throw BrokerError.unavailable("timeout") })
        let answer = try await service.suggestSize(body)
        #expect(answer.accountSource == "settings")
        #expect(answer.equity == 50_000)
        #expect(answer.result.riskBudget == 500)
        #expect(answer.result.warnings.contains { $0.code == "account_from_settings" && $0.message.contains("timeout") })
    }

    @Test("no broker: the settings, without a warning")
    func noBroker() async throws {
        let answer = try await PlanningService(settings: settings).suggestSize(body)
        #expect(answer.accountSource == "settings")
        #expect(answer.result.warnings.isEmpty)
    }
}
