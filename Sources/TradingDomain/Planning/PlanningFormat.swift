import Foundation

/// Deterministic, locale-free number formatting for messages and summaries.
///
/// No thousands separators, `.` as the decimal point, and a fixed rule per kind of number, so the
/// same input always produces the same text (the worked examples in `docs/planning.md` rely on it).
public enum PlanningFormat {
    /// A price as given, with at least 2 decimals: `150` → `150.00`, `0.0525` → `0.0525`.
    public static func price(_ value: Decimal) -> String {
        fixed(value, scale: max(2, min(value.fractionDigits, PlanningLimits.maxPriceScale)))
    }

    /// Money rounded half away from zero to cents: `1234.5` → `1234.50`.
    public static func money(_ value: Decimal) -> String {
        fixed(value, scale: 2)
    }

    /// A percentage with 2 decimals and a `%` sign: `1.2` → `1.20%`.
    public static func percent(_ value: Decimal) -> String {
        fixed(value, scale: 2) + "%"
    }

    /// An R multiple with 2 decimals and an `R`: `2` → `2.00R`.
    public static func rMultiple(_ value: Decimal) -> String {
        fixed(value, scale: 2) + "R"
    }

    /// A quantity with its unit, singular or plural: `1 share`, `300 shares`, `2 contracts`.
    public static func quantity(_ value: Decimal, _ assetClass: AssetClass) -> String {
        let unit = assetClass == .equity ? "share" : "contract"
        return "\(value) \(unit)\(value == 1 ? "" : "s")"
    }

    /// `value` rounded to `scale` decimals (half away from zero) and padded with zeros to exactly
    /// `scale` decimals.
    public static func fixed(_ value: Decimal, scale: Int) -> String {
        let rounded = value.rounded(scale: scale)
        var text = "\(rounded)"
        guard scale > 0 else { return text }
        let digits = rounded.fractionDigits
        if digits == 0 { text += "." }
        if digits < scale { text += String(repeating: "0", count: scale - digits) }
        return text
    }
}
