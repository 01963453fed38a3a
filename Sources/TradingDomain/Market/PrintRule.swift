import Foundation

/// What one trade print may update, after its sale conditions (docs/alerts.md, "Clean prints").
///
/// The consolidated tape (CTA for NYSE-listed, UTP for Nasdaq-listed securities) attaches sale
/// conditions to every print and says, per condition, whether the print updates the consolidated
/// last sale, the day's high and low, and the volume: an odd lot or an average-price trade adds
/// volume but is not a price anyone could trade at now; an out-of-sequence print may widen the
/// range but is not the latest price. Each feed adapter maps its own condition codes to a rule
/// (Polygon: `PolygonTradeConditions`); the quote cache, the alert engine and the paper broker
/// see a print's price only when `updatesLast` is true.
public struct PrintRule: Sendable, Hashable, CustomStringConvertible {
    /// Updates the last price (and so the quote's `last`, alerts and paper stops).
    public var updatesLast: Bool
    /// Widens the day's high and low.
    public var updatesHighLow: Bool
    /// Adds its size to the day's volume.
    public var updatesVolume: Bool

    public init(updatesLast: Bool, updatesHighLow: Bool, updatesVolume: Bool) {
        self.updatesLast = updatesLast
        self.updatesHighLow = updatesHighLow
        self.updatesVolume = updatesVolume
    }

    /// A regular sale: updates everything (also a print without conditions).
    public static let regular = PrintRule(updatesLast: true, updatesHighLow: true, updatesVolume: true)

    /// Updates nothing (e.g. an official open or close re-reported by a market center).
    public static let none = PrintRule(updatesLast: false, updatesHighLow: false, updatesVolume: false)

    /// A print carrying several conditions updates a field only when every one of them allows it
    /// (an odd lot sold out of sequence updates neither last nor high/low).
    public func combined(with other: PrintRule) -> PrintRule {
        PrintRule(
            updatesLast: updatesLast && other.updatesLast,
            updatesHighLow: updatesHighLow && other.updatesHighLow,
            updatesVolume: updatesVolume && other.updatesVolume)
    }

    public var description: String {
        "last \(updatesLast ? "yes" : "no"), high/low \(updatesHighLow ? "yes" : "no"), volume \(updatesVolume ? "yes" : "no")"
    }
}
