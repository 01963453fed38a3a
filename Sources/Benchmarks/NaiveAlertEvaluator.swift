import Foundation
import TradingDomain

/// The baseline for `alert_eval_p99_us_naive` (docs/performance.md, "Alert engine"): what the
/// alert book replaces — per tick, scan every alert of the symbol and compare `Decimal`s. Same
/// rules as the book for the benchmark's alert kinds (`price_above`/`price_below` fire on entering
/// their condition and wait for the price to leave it; `price_cross` fires on a change of side;
/// `once` alerts stop after their first firing); cooldowns are left out, which only flatters it.
struct NaiveAlertEvaluator {
    struct Alert {
        var type: AlertType
        var threshold: Decimal
        var once: Bool
        var side: AlertSide = .unknown
        var done = false
    }

    private var alerts: [Symbol: [Alert]] = [:]

    init(_ rules: [AlertRule]) {
        for rule in rules {
            alerts[rule.symbol, default: []].append(Alert(type: rule.type, threshold: rule.threshold, once: rule.mode == .once))
        }
    }

    /// Evaluates one tick; returns how many alerts fired.
    mutating func evaluate(symbol: Symbol, price: Decimal) -> Int {
        guard var list = alerts.removeValue(forKey: symbol) else { return 0 }
        var fired = 0
        for index in list.indices where !list[index].done {
            let threshold = list[index].threshold
            let side: AlertSide = price > threshold ? .above : price < threshold ? .below : .unknown
            switch list[index].type {
            case .priceCross:
                guard side != .unknown else { continue }
                if list[index].side != .unknown, list[index].side != side { fired += 1; list[index].done = list[index].once }
                list[index].side = side
            case .priceAbove, .priceBelow, .percentChange:
                let wanted: AlertSide = list[index].type == .priceBelow ? .below : .above
                let holds = side == wanted || side == .unknown
                if holds, list[index].side != wanted {
                    fired += 1
                    list[index].done = list[index].once
                    list[index].side = wanted
                } else if !holds {
                    list[index].side = .unknown
                }
            }
        }
        alerts[symbol] = list
        return fired
    }
}
