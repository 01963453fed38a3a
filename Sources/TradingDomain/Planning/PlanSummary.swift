import Foundation

/// Builds the plain-English paragraph of a plan evaluation. Pure and deterministic: the same
/// plan and numbers always give the same text (numbers use `PlanningFormat`).
///
/// A valid plan reads, for example:
/// "Long 100 shares of AAPL at 150.00 with a stop at 147.00, 3.00 (2.00%) below the entry:
/// 300.00 at risk. Targets: 156.00 (2.00R), 160.50 (3.50R). The risk is 1.20% of equity
/// (25000.00)."
enum PlanSummary {
    static func valid(plan: TradePlan, numbers: PlanNumbers) -> String {
        let f = PlanningFormat.self
        guard let perShare = numbers.riskPerShare, let perUnit = numbers.riskPerUnit,
              let distancePct = numbers.stopDistancePct
        else { return invalid(plan: plan, rejections: []) }

        let side = plan.side == .long ? "Long" : "Short"
        let size = plan.quantity.map { "\(f.quantity($0, plan.assetClass)) of " } ?? ""
        let direction = plan.side == .long ? "below" : "above"
        var sentences: [String] = []

        var opening = "\(side) \(size)\(plan.symbol) at \(f.price(plan.entry)) with a stop at \(f.price(plan.stop)), "
            + "\(f.price(perShare)) (\(f.percent(distancePct))) \(direction) the entry: "
        switch (plan.assetClass, numbers.totalRisk) {
        case (.equity, let total?):
            opening += "\(f.money(total)) at risk."
        case (.equity, nil):
            opening += "\(f.price(perShare)) at risk per share."
        case (.option, let total?):
            opening += "\(f.money(total)) at risk (\(f.money(perUnit)) per contract)."
        case (.option, nil):
            opening += "\(f.money(perUnit)) at risk per contract."
        }
        sentences.append(opening)

        let targets = numbers.targets.map { target in
            "\(f.price(target.price)) (\(target.rMultiple.map(f.rMultiple) ?? "n/a"))"
        }
        sentences.append("\(targets.count == 1 ? "Target" : "Targets"): \(targets.joined(separator: ", ")).")

        if let pct = numbers.riskPctOfEquity, let equity = numbers.equity {
            sentences.append("The risk is \(f.percent(pct)) of equity (\(f.money(equity))).")
        }
        if let timeframe = plan.timeframe?.trimmingWhitespace(), !timeframe.isEmpty {
            sentences.append("Timeframe: \(timeframe).")
        }
        if let thesis = plan.thesis?.trimmingWhitespace(), !thesis.isEmpty {
            let ends = thesis.hasSuffix(".") || thesis.hasSuffix("!") || thesis.hasSuffix("?")
            sentences.append("Thesis: \(thesis)\(ends ? "" : ".")")
        }
        return sentences.joined(separator: " ")
    }

    static func invalid(plan: TradePlan, rejections: [PlanningRejection]) -> String {
        let reasons = rejections.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        return "The plan for \(plan.symbol) is not valid: \(reasons.isEmpty ? "it has no risk" : reasons)."
    }
}
