import Configuration
import Foundation

/// The configuration reader scoped to one part's keys (`ConfigReader.scoped(to:)`: the `polygon`
/// scope reads `api.key` as `POLYGON_API_KEY`). Readers return nil for an unset value and for an
/// invalid one, which they record instead of throwing, so every violation of the whole
/// configuration is reported at once (docs/configuration.md).
struct ConfigScope {
    /// Violations found so far, shared by every scope of one load.
    final class Problems {
        var errors: [ConfigError] = []
    }

    let reader: ConfigReader
    let path: [String]
    let problems: Problems

    init(reader: ConfigReader, path: [String] = [], problems: Problems = Problems()) {
        self.reader = reader
        self.path = path
        self.problems = problems
    }

    /// The scope of `name` (dot-separated) inside this one.
    func scoped(_ name: String) -> ConfigScope {
        let key = ConfigKey(name)
        return ConfigScope(reader: reader.scoped(to: key), path: path + key.components, problems: problems)
    }

    /// The environment variable of `key` in this scope: `polygon` + `api.key` → `POLYGON_API_KEY`.
    func variable(_ key: String) -> String {
        (path + ConfigKey(key).components).joined(separator: "_").uppercased()
    }

    func record(_ error: ConfigError) { problems.errors.append(error) }

    /// Runs a check that throws, recording its violation.
    func check(_ body: () throws(ConfigError) -> Void) {
        do { try body() } catch { record(error) }
    }

    /// The trimmed value, nil when unset or blank.
    func text(_ key: String) -> String? {
        guard let value = reader.string(forKey: ConfigKey(key)) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> E? where E.RawValue == String {
        guard let value = text(key) else { return nil }
        guard let parsed = E(rawValue: value.lowercased()) else {
            record(ConfigError(variable(key), "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(value)')"))
            return nil
        }
        return parsed
    }

    func integer(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let value = text(key) else { return nil }
        guard let number = Int(value), range.contains(number) else {
            record(ConfigError(variable(key), "must be a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(value)')"))
            return nil
        }
        return number
    }

    func flag(_ key: String) -> Bool? {
        guard let value = text(key) else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            record(ConfigError(variable(key), "must be true or false (got '\(value)')"))
            return nil
        }
    }

    /// An exact decimal (money, rates): digits and a point only.
    func decimal(_ key: String, _ range: ClosedRange<Decimal>) -> Decimal? {
        guard let value = text(key) else { return nil }
        guard value.allSatisfy({ $0.isNumber || $0 == "." }),
              let number = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")), range.contains(number) else {
            record(ConfigError(variable(key), "must be a number from \(range.lowerBound) to \(range.upperBound) (got '\(value)')"))
            return nil
        }
        return number
    }

    /// A URL with one of `schemes` and a host; plain http/ws only to loopback
    /// (`AppConfig.requireEncrypted`). Returned without a trailing slash when `trimSlash`.
    func url(_ key: String, schemes: [String], example: String? = nil, trimSlash: Bool = false) -> String? {
        guard let value = text(key) else { return nil }
        guard let components = URLComponents(string: value), schemes.contains(components.scheme?.lowercased() ?? ""),
              components.host?.isEmpty == false else {
            let kind = schemes.map { $0 }.joined(separator: " or ")
            record(ConfigError(variable(key), "must be a \(kind) URL\(example.map { " like \($0)" } ?? "") (got '\(value)')"))
            return nil
        }
        do {
            try AppConfig.requireEncrypted(variable(key), components)
        } catch {
            record(error)
            return nil
        }
        return trimSlash && value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}
