import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TradingDomain

/// An error answer in `application/problem+json` (RFC 9457). Every error the API returns is one.
public struct Problem: Error, Sendable, Encodable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var errors: [FieldError]?
    /// Stable machine-readable reason, e.g. `validation_failed`, `not_found`.
    public var code: String
    public var instance: String?
    /// Pre-trade checks, on an order refused by them.
    public var checks: [PreTradeCheck]?
    /// The order concerned, when one was stored (e.g. a broker rejection).
    public var orderID: String?
    /// Extra response headers (e.g. `Allow` on 405, `Retry-After` on 429).
    var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, title: String? = nil, detail: String, errors: [FieldError]? = nil) {
        self.status = status.code
        self.code = code
        self.type = "https://trading-assistant.local/problems/\(code.replacingOccurrences(of: "_", with: "-"))"
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors, code, instance, checks
        case orderID = "order_id"
    }

    // MARK: common problems

    public static func validation(_ failure: ValidationFailure) -> Problem {
        let count = failure.errors.count
        return Problem(
            .unprocessableContent, code: "validation_failed", title: "Validation failed",
            detail: count == 1 ? "1 field is invalid: \(failure.errors[0].field) \(failure.errors[0].message)"
                : "\(count) fields are invalid",
            errors: failure.errors)
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, code: "not_found", detail: what)
    }

    public static func badRequest(_ detail: String, code: String = "bad_request", errors: [FieldError]? = nil) -> Problem {
        Problem(.badRequest, code: code, detail: detail, errors: errors)
    }

    public static let unauthorized = Problem(
        .unauthorized, code: "unauthorized",
        detail: "missing or wrong API key or session token: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")

    func response(requestID: String?, path: String) -> Response {
        var problem = self
        problem.instance = path
        let body = (try? JSONEncoder.api.encode(problem)) ?? Data(#"{"status":500}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        if let requestID, !requestID.isEmpty { fields[RequestLogMiddleware.requestIDHeader] = requestID }
        return Response(
            status: .init(code: status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension JSONEncoder {
    /// The API's JSON: snake_case keys are declared by each type; times ISO-8601 UTC with
    /// milliseconds; `Decimal` written exactly.
    static let api: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
