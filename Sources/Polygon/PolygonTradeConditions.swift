import Foundation
import TradingDomain

/// Polygon/Massive stock trade condition ids (the `c` array of a `T` event) and what each lets a
/// print update on the consolidated tape (docs/vendors.md §1.7, docs/alerts.md "Clean prints").
///
/// Source: Massive's condition listing, `GET /v3/reference/conditions?asset_class=stocks&data_type=trade`
/// (https://massive.com/docs/rest/stocks/market-operations/condition-codes, glossary
/// https://massive.com/glossary/us/stocks/conditions-indicators), column
/// `update_rules.consolidated`: `updates_high_low`, `updates_open_close` (the last sale; Massive
/// calls it open/close) and `updates_volume`. These are the CTA and UTP consolidated processing
/// rules for each sale condition. Ids are Massive's own (unique per data type: quote conditions
/// reuse the numbers), so this table is for stock trades only; option trades (OPRA conditions)
/// are not filtered.
///
/// One deliberate departure, `formTExtendedHours` (12): every trade before 09:30 or after 16:00 is
/// reported with Form T, which the consolidated rules keep out of the regular session's last and
/// range. A broker's platform still shows the extended-hours price as last (and Massive's own
/// minute bars include these trades), so a Form T print updates last and volume here, not the
/// day's high and low. An odd lot in extended hours (`[12, 37]`) still updates nothing but volume.
///
/// Kept as a plain lookup (`rule(forCondition:)`, `rule(for:)`) so any parser — the JSON decoder
/// today, a byte-level one later (issue #20) — can call it per print.
public enum PolygonTradeConditions {
    /// One row of the vendor's listing.
    public struct Condition: Sendable, Hashable {
        public var id: Int
        public var name: String
        /// `update_rules.consolidated` as the vendor publishes it.
        public var consolidated: PrintRule

        init(_ id: Int, _ name: String, last: Bool, highLow: Bool, volume: Bool) {
            self.id = id
            self.name = name
            consolidated = PrintRule(updatesLast: last, updatesHighLow: highLow, updatesVolume: volume)
        }
    }

    /// Form T / extended hours (see the type's comment).
    public static let formTExtendedHours = 12

    /// Massive's stock trade conditions, consolidated rules (`last` = `updates_open_close`).
    public static let table: [Condition] = [
        Condition(1, "Acquisition", last: true, highLow: true, volume: true),
        Condition(2, "Average Price Trade", last: false, highLow: false, volume: true),
        Condition(3, "Automatic Execution", last: true, highLow: true, volume: true),
        Condition(4, "Bunched Trade", last: true, highLow: true, volume: true),
        Condition(5, "Bunched Sold Trade", last: false, highLow: true, volume: true),
        Condition(6, "CAP Election", last: true, highLow: true, volume: true),
        Condition(7, "Cash Sale", last: false, highLow: false, volume: true),
        Condition(8, "Closing Prints", last: true, highLow: true, volume: true),
        Condition(9, "Cross Trade", last: true, highLow: true, volume: true),
        Condition(10, "Derivatively Priced", last: false, highLow: true, volume: true),
        Condition(11, "Distribution", last: true, highLow: true, volume: true),
        Condition(12, "Form T/Extended Hours", last: false, highLow: false, volume: true),
        Condition(13, "Extended Hours (Sold Out Of Sequence)", last: false, highLow: false, volume: true),
        Condition(14, "Intermarket Sweep", last: true, highLow: true, volume: true),
        Condition(15, "Market Center Official Close", last: false, highLow: false, volume: false),
        Condition(16, "Market Center Official Open", last: false, highLow: false, volume: false),
        Condition(17, "Market Center Opening Trade", last: true, highLow: true, volume: true),
        Condition(18, "Market Center Reopening Trade", last: true, highLow: true, volume: true),
        Condition(19, "Market Center Closing Trade", last: true, highLow: true, volume: true),
        Condition(20, "Next Day", last: false, highLow: false, volume: true),
        Condition(21, "Price Variation Trade", last: false, highLow: false, volume: true),
        Condition(22, "Prior Reference Price", last: false, highLow: true, volume: true),
        Condition(23, "Rule 155 Trade (AMEX)", last: true, highLow: true, volume: true),
        Condition(24, "Rule 127 (NYSE Only)", last: true, highLow: true, volume: true),
        Condition(25, "Opening Prints", last: true, highLow: true, volume: true),
        Condition(27, "Stopped Stock (Regular Trade)", last: true, highLow: true, volume: true),
        Condition(28, "Re-Opening Prints", last: true, highLow: true, volume: true),
        Condition(29, "Seller", last: false, highLow: false, volume: true),
        Condition(30, "Sold Last", last: true, highLow: true, volume: true),
        Condition(31, "Sold Last and Stopped Stock", last: true, highLow: true, volume: true),
        Condition(32, "Sold (Out Of Sequence)", last: false, highLow: true, volume: true),
        Condition(33, "Sold (Out of Sequence) and Stopped Stock", last: false, highLow: true, volume: true),
        Condition(34, "Split Trade", last: true, highLow: true, volume: true),
        Condition(35, "Stock Option", last: true, highLow: true, volume: true),
        Condition(36, "Yellow Flag Regular Trade", last: true, highLow: true, volume: true),
        Condition(37, "Odd Lot Trade", last: false, highLow: false, volume: true),
        Condition(38, "Corrected Consolidated Close (per listing market)", last: true, highLow: true, volume: false),
        Condition(41, "Trade Thru Exempt", last: true, highLow: true, volume: true),
        Condition(52, "Contingent Trade", last: false, highLow: false, volume: true),
        Condition(53, "Qualified Contingent Trade", last: false, highLow: false, volume: true),
        Condition(55, "Opening Reopening Trade Detail", last: true, highLow: true, volume: true),
        Condition(57, "Short Sale Restriction Activated", last: true, highLow: true, volume: true),
        Condition(58, "Short Sale Restriction Continued", last: true, highLow: true, volume: true),
        Condition(59, "Short Sale Restriction Deactivated", last: true, highLow: true, volume: true),
        Condition(60, "Short Sale Restriction In Effect", last: true, highLow: true, volume: true),
        Condition(62, "Financial Status - Bankrupt", last: true, highLow: true, volume: true),
        Condition(63, "Financial Status - Deficient", last: true, highLow: true, volume: true),
        Condition(64, "Financial Status - Delinquent", last: true, highLow: true, volume: true),
        Condition(65, "Financial Status - Bankrupt and Deficient", last: true, highLow: true, volume: true),
        Condition(66, "Financial Status - Bankrupt and Delinquent", last: true, highLow: true, volume: true),
        Condition(67, "Financial Status - Deficient and Delinquent", last: true, highLow: true, volume: true),
        Condition(68, "Financial Status - Deficient, Delinquent, and Bankrupt", last: true, highLow: true, volume: true),
        Condition(69, "Financial Status - Liquidation", last: true, highLow: true, volume: true),
        Condition(70, "Financial Status - Creations Suspended", last: true, highLow: true, volume: true),
        Condition(71, "Financial Status - Redemptions Suspended", last: true, highLow: true, volume: true),
    ]

    /// The rule we apply per id (the table with the Form T departure), indexed by id for a
    /// constant-time lookup on the hot path.
    private static let rules: [PrintRule?] = {
        var rules = [PrintRule?](repeating: nil, count: (table.map(\.id).max() ?? 0) + 1)
        for condition in table { rules[condition.id] = condition.consolidated }
        rules[formTExtendedHours]?.updatesLast = true
        return rules
    }()

    /// What a print with this one condition may update. An id the table does not know (a new
    /// one, or a quote condition sent by mistake) restricts nothing: an unknown code must never
    /// hide a real trade.
    public static func rule(forCondition id: Int) -> PrintRule {
        guard id >= 0, id < rules.count, let rule = rules[id] else { return .regular }
        return rule
    }

    /// What a print with these conditions may update: every condition must allow a field
    /// (`PrintRule.combined`). No conditions (the `c` key is omitted for a regular sale) is `.regular`.
    public static func rule(for conditions: some Sequence<Int>) -> PrintRule {
        var result = PrintRule.regular
        for id in conditions { result = result.combined(with: Self.rule(forCondition: id)) }
        return result
    }

    /// The vendor's name for a condition id, for logs and docs.
    public static func name(of id: Int) -> String? {
        table.first { $0.id == id }?.name
    }
}
