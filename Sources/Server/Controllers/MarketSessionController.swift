import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// `GET /api/v1/market/status`, `GET /api/v1/market/calendar?from=&to=` and
/// `GET /api/v1/diag/calendar` (docs/api.md, docs/sessions.md).
struct MarketSessionController {
    let calendar: MarketCalendarService
    /// `calendar` or `always_open` when the market is simulated, else nil.
    let simulatedSession: String?
    let clock: any WallClock

    /// Longest range one calendar request may cover, in days (both ends included).
    static let maxDays = 400

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("market/status") { request, _ in
            var errors = FieldErrors()
            request.uri.queryParameters.rejectUnknown(allowed: [], errors: &errors)
            try errors.throwIfAny()
            return JSONResponse(MarketStatusDTO(calendar.status(at: clock.now()), simulatedSession: simulatedSession))
        }
        group.get("market/calendar") { request, _ in
            let parameters = request.uri.queryParameters
            var errors = FieldErrors()
            parameters.rejectUnknown(allowed: ["from", "to"], errors: &errors)
            let range = Self.range(from: parameters.get("from"), to: parameters.get("to"), errors: &errors)
            try errors.throwIfAny()
            let days = range.flatMap { calendar.calendar().weekdays(from: $0.from, to: $0.to) } ?? []
            return JSONResponse(MarketCalendarDTO(days: days.map(MarketDayDTO.init)))
        }
        group.get("diag/calendar") { _, _ in
            let diagnostics = calendar.diagnostics
            let years = MarketCalendar.publishedYears
            return JSONResponse(CalendarDiagnosticsDTO(
                provider: diagnostics.provider,
                built_in: "NYSE's published calendar for \(years.lowerBound)–\(years.upperBound), rules for other years",
                provider_days: diagnostics.providerDays, last_attempt_at: diagnostics.lastAttemptAt,
                last_success_at: diagnostics.lastSuccessAt, last_error: diagnostics.lastError,
                refreshes: diagnostics.refreshes, failures: diagnostics.failures, sim_session: simulatedSession))
        }
    }

    /// `from` and `to` as `yyyy-MM-dd`, `to` not before `from`, at most `maxDays` days in all.
    static func range(from: String?, to: String?, errors: inout FieldErrors) -> (from: String, to: String)? {
        let probe = MarketCalendar()
        func date(_ field: String, _ text: String?) -> String? {
            guard let text else {
                errors.add(field, "is required: a New York date as yyyy-MM-dd, e.g. 2026-11-27")
                return nil
            }
            guard probe.day(text) != nil else {
                errors.add(field, "must be a date as yyyy-MM-dd, e.g. 2026-11-27 (got '\(text.prefix(40))')")
                return nil
            }
            return text
        }
        let start = date("from", from), end = date("to", to)
        guard let start, let end else { return nil }
        guard end >= start else {
            errors.add("to", "must not be before from (\(start))")
            return nil
        }
        let first = probe.open(of: .regular(start)) ?? Date(), last = probe.open(of: .regular(end)) ?? Date()
        let days = Int((last.timeIntervalSince(first) / 86_400).rounded()) + 1
        guard days <= maxDays else {
            errors.add("to", "must be at most \(maxDays) days from from, both included (the range has \(days))")
            return nil
        }
        return (start, end)
    }
}

/// The body of `GET /api/v1/market/status` (every key present, null when empty).
struct MarketStatusDTO: Encodable, Sendable {
    var status: MarketStatus
    var simulatedSession: String?

    init(_ status: MarketStatus, simulatedSession: String?) {
        self.status = status
        self.simulatedSession = simulatedSession
    }

    enum CodingKeys: String, CodingKey {
        case session, is_open, next_open, next_close, early_close, holiday, as_of, sim_session, summary
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status.session.rawValue, forKey: .session)
        try container.encode(status.isOpen, forKey: .is_open)
        try container.encode(status.nextOpen, forKey: .next_open)
        try container.encode(status.nextClose, forKey: .next_close)
        try container.encode(status.earlyClose, forKey: .early_close)
        try container.encode(status.holiday, forKey: .holiday)
        try container.encode(status.asOf, forKey: .as_of)
        try container.encode(simulatedSession, forKey: .sim_session)
        try container.encode(status.summary, forKey: .summary)
    }
}

struct MarketCalendarDTO: Encodable, Sendable {
    var days: [MarketDayDTO]
}

/// One weekday of `GET /api/v1/market/calendar`: times as New York `HH:MM`, null on closed days.
struct MarketDayDTO: Encodable, Sendable {
    var day: MarketDay

    init(_ day: MarketDay) {
        self.day = day
    }

    enum CodingKeys: String, CodingKey {
        case date, status, open, close, pre_open, post_close, holiday
    }

    static func clock(_ minute: Int?) -> String? {
        guard let minute else { return nil }
        let hour = minute / 60, rest = minute % 60
        return "\(hour < 10 ? "0" : "")\(hour):\(rest < 10 ? "0" : "")\(rest)"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let trading = day.isTradingDay
        try container.encode(day.date, forKey: .date)
        try container.encode(day.status.rawValue, forKey: .status)
        try container.encode(trading ? Self.clock(day.openMinute) : nil, forKey: .open)
        try container.encode(trading ? Self.clock(day.closeMinute) : nil, forKey: .close)
        try container.encode(trading ? Self.clock(day.preOpenMinute) : nil, forKey: .pre_open)
        try container.encode(trading ? Self.clock(day.postCloseMinute) : nil, forKey: .post_close)
        try container.encode(day.holiday, forKey: .holiday)
    }
}

struct CalendarDiagnosticsDTO: Encodable, Sendable {
    var provider: String?
    var built_in: String
    var provider_days: Int
    var last_attempt_at: Date?
    var last_success_at: Date?
    var last_error: String?
    var refreshes: Int
    var failures: Int
    var sim_session: String?

    func encode(to encoder: any Encoder) throws {
        enum Keys: String, CodingKey {
            case provider, built_in, provider_days, last_attempt_at, last_success_at, last_error, refreshes, failures, sim_session
        }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(provider, forKey: .provider)
        try container.encode(built_in, forKey: .built_in)
        try container.encode(provider_days, forKey: .provider_days)
        try container.encode(last_attempt_at, forKey: .last_attempt_at)
        try container.encode(last_success_at, forKey: .last_success_at)
        try container.encode(last_error, forKey: .last_error)
        try container.encode(refreshes, forKey: .refreshes)
        try container.encode(failures, forKey: .failures)
        try container.encode(sim_session, forKey: .sim_session)
    }
}
