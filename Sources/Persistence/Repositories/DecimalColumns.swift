import Foundation
import TradingEngine

/// Exact decimals stored as text, shared by every model that holds money or prices.
enum DecimalColumns {
    static func text(_ value: Decimal) -> String { "\(value)" }

    static func decimal(_ text: String, column: String, row: UUID?) throws -> Decimal {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw StoredDataError("row \(row?.uuidString ?? "?"): \(column) '\(text)' is not a decimal")
        }
        return value
    }

    /// A JSON array of decimal strings, e.g. `["196","199.5"]`.
    static func listText(_ values: [Decimal]) -> String {
        "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    static func list(_ text: String, column: String, row: UUID?) throws -> [Decimal] {
        guard let items = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw StoredDataError("row \(row?.uuidString ?? "?"): \(column) is not a JSON list")
        }
        return try items.map { try decimal($0, column: column, row: row) }
    }
}
