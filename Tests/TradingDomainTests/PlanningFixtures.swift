import APIInput
import Foundation
import TradingDomain

/// Builders shared by the Planning test suites (each suite conforms to get them). Decimals are
/// written as strings so no value ever passes through `Double` (a float literal typed as
/// `Decimal` would).
protocol PlanningFixtures {}

extension PlanningFixtures {
    func d(_ text: String) -> Decimal {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            fatalError("not a decimal: \(text)")
        }
        return value
    }

    func plan(
        _ symbol: String = "AAPL",
        _ side: Side = .long,
        entry: String,
        stop: String,
        targets: [String],
        quantity: String? = nil,
        assetClass: AssetClass? = nil,
        thesis: String? = nil,
        timeframe: String? = nil
    ) -> TradePlan {
        TradePlan(
            symbol: Symbol(trusted: symbol), side: side, assetClass: assetClass,
            entry: d(entry), stop: d(stop), targets: targets.map(d),
            quantity: quantity.map(d), thesis: thesis, timeframe: timeframe)
    }

    func account(
        equity: String = "50000",
        buyingPower: String? = nil,
        riskPct: String? = "1",
        riskAmount: String? = nil,
        maxPositionSizePct: String? = nil,
        roundLots: Bool = false
    ) -> SizingAccount {
        let budget: RiskBudget = riskAmount.map { .amount(d($0)) } ?? .percentOfEquity(d(riskPct ?? "1"))
        return SizingAccount(
            equity: d(equity), buyingPower: buyingPower.map(d), riskBudget: budget,
            maxPositionSizePct: maxPositionSizePct.map(d), roundLots: roundLots)
    }

    func request(
        _ side: Side = .long,
        _ assetClass: AssetClass = .equity,
        entry: String,
        stop: String?,
        account: SizingAccount? = nil
    ) -> SizingRequest {
        SizingRequest(
            side: side, assetClass: assetClass, entry: d(entry), stop: stop.map(d), account: account ?? self.account())
    }

    /// The codes of a list of rejections, for compact assertions.
    func codes(_ rejections: [PlanningRejection]) -> [String] { rejections.map(\.code) }

    /// The failure thrown by `body`, or nil when it did not throw.
    func failure<T>(_ body: () throws(ValidationFailure) -> T) -> ValidationFailure? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    /// Parses JSON text into the exact-number `JSONValue` the readers take.
    func json(_ text: String) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            fatalError("bad JSON in test: \(error)")
        }
    }
}
