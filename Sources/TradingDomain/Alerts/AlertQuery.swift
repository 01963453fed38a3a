import Foundation

/// Filters and page position for listing alerts, newest first (ordered by `created_at` descending,
/// then `id` descending, so pages are stable). The cursor is a `PageCursor` of the last alert's
/// `created_at` (ms) and id.
public struct AlertQuery: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let maxLimit = 200
    static let parameterNames: Set<String> = ["status", "symbol", "limit", "cursor"]

    public var status: AlertStatus?
    public var symbol: Symbol?
    public var limit: Int
    public var after: PageCursor?

    public init(status: AlertStatus? = nil, symbol: Symbol? = nil, limit: Int = AlertQuery.defaultLimit, after: PageCursor? = nil) {
        self.status = status
        self.symbol = symbol
        self.limit = limit
        self.after = after
    }

    /// Reads query parameters (`status`, `symbol`, `limit` 1-200, `cursor`), reporting every bad one.
    public init(parameters: [String: String]) throws(ValidationFailure) {
        var errors = FieldErrors()
        var query = AlertQuery()
        AlertQueryParameters.rejectUnknown(parameters, known: Self.parameterNames, errors: &errors)
        if let text = parameters["status"] {
            if let status = AlertStatus(rawValue: text.lowercased()) { query.status = status } else {
                errors.add("status", "must be one of \(AlertStatus.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
            }
        }
        query.symbol = AlertQueryParameters.symbol(parameters, errors: &errors)
        query.limit = AlertQueryParameters.limit(parameters, max: Self.maxLimit, errors: &errors) ?? Self.defaultLimit
        query.after = AlertQueryParameters.cursor(parameters, errors: &errors)
        try errors.throwIfAny()
        self = query
    }
}

/// Filters and page position for listing alert firings (triggers), newest first (ordered by firing
/// time descending, then trigger id descending).
public struct AlertTriggerQuery: Sendable, Hashable {
    public static let defaultLimit = 50
    public static let maxLimit = 200
    static let parameterNames: Set<String> = ["alert_id", "symbol", "source", "from", "to", "limit", "cursor"]

    public var alertID: UUID?
    public var symbol: Symbol?
    public var source: FiringSource?
    /// Firings at or after this time.
    public var from: Date?
    /// Firings before this time.
    public var to: Date?
    public var limit: Int
    public var after: PageCursor?

    public init(
        alertID: UUID? = nil, symbol: Symbol? = nil, source: FiringSource? = nil, from: Date? = nil, to: Date? = nil,
        limit: Int = AlertTriggerQuery.defaultLimit, after: PageCursor? = nil
    ) {
        self.alertID = alertID
        self.symbol = symbol
        self.source = source
        self.from = from
        self.to = to
        self.limit = limit
        self.after = after
    }

    /// Reads query parameters (`alert_id`, `symbol`, `source`, `from`, `to`, `limit`, `cursor`).
    public init(parameters: [String: String]) throws(ValidationFailure) {
        var errors = FieldErrors()
        var query = AlertTriggerQuery()
        AlertQueryParameters.rejectUnknown(parameters, known: Self.parameterNames, errors: &errors)
        if let text = parameters["alert_id"] {
            if let id = UUID(uuidString: text) { query.alertID = id } else { errors.add("alert_id", "must be a UUID") }
        }
        query.symbol = AlertQueryParameters.symbol(parameters, errors: &errors)
        if let text = parameters["source"] {
            if let source = FiringSource(rawValue: text.lowercased()) { query.source = source } else {
                errors.add("source", "must be one of 'stream', 'poll', 'catch_up'")
            }
        }
        for key in ["from", "to"] {
            guard let text = parameters[key] else { continue }
            guard let date = ISO8601.parse(text) else {
                errors.add(key, "must be an ISO-8601 time with a zone, e.g. 2026-01-02T14:30:00Z")
                continue
            }
            if key == "from" { query.from = date } else { query.to = date }
        }
        if let from = query.from, let to = query.to, from > to { errors.add("to", "must not be before from") }
        query.limit = AlertQueryParameters.limit(parameters, max: Self.maxLimit, errors: &errors) ?? Self.defaultLimit
        query.after = AlertQueryParameters.cursor(parameters, errors: &errors)
        try errors.throwIfAny()
        self = query
    }
}

/// Readers shared by the two queries.
enum AlertQueryParameters {
    static func rejectUnknown(_ parameters: [String: String], known: Set<String>, errors: inout FieldErrors) {
        for key in parameters.keys.sorted() where !known.contains(key) {
            errors.add(key, "is not a known query parameter (allowed: \(known.sorted().joined(separator: ", ")))")
        }
    }

    static func symbol(_ parameters: [String: String], errors: inout FieldErrors) -> Symbol? {
        guard let text = parameters["symbol"] else { return nil }
        return errors.collect { () throws(ValidationFailure) -> Symbol in try Symbol(validating: text) }
    }

    static func limit(_ parameters: [String: String], max: Int, errors: inout FieldErrors) -> Int? {
        guard let text = parameters["limit"] else { return nil }
        guard let value = Int(text), (1...max).contains(value) else {
            errors.add("limit", "must be a whole number from 1 to \(max)")
            return nil
        }
        return value
    }

    static func cursor(_ parameters: [String: String], errors: inout FieldErrors) -> PageCursor? {
        guard let text = parameters["cursor"] else { return nil }
        guard let cursor = PageCursor(token: text) else {
            errors.add("cursor", "is not a cursor returned by this endpoint")
            return nil
        }
        return cursor
    }
}
