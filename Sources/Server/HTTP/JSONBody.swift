import APIInput
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TradingDomain

extension Request {
    /// Reads the body as JSON, keeping numbers exact. Answers (as a thrown `Problem`):
    /// 413 when larger than the limit, 415 for a non-JSON content type, 400 when empty or malformed
    /// (with where it broke).
    func jsonBody(context: AppRequestContext) async throws -> JSONValue {
        if let type = headers[.contentType]?.lowercased(),
           !(type.hasPrefix("application/json") || type.contains("+json")) {
            throw Problem(.unsupportedMediaType, code: "unsupported_media_type",
                          detail: "send the body as application/json (got \(type))")
        }
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(context)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(context)
        }
        let data = Data(buffer: buffer)
        guard data.contains(where: { !$0.isJSONWhitespace }) else {
            throw Problem.badRequest("the request body is empty; send a JSON object", code: "empty_body")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw Problem.badRequest("the body is not valid JSON: \(Self.describe(error, in: data))", code: "malformed_json")
        }
    }

    static func tooLarge(_ context: AppRequestContext) -> Problem {
        Problem(.contentTooLarge, code: "body_too_large",
                detail: "the request body is larger than the limit of \(context.maxUploadSize) bytes")
    }

    static func describe(_ error: DecodingError, in data: Data) -> String {
        guard case .dataCorrupted(let context) = error else { return "\(error)" }
        var parts: [String] = []
        if let underlying = context.underlyingError {
            let text = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(underlying)"
            parts.append(text)
        } else {
            parts.append(context.debugDescription)
        }
        if parts.joined().contains("not valid JSON") {
            parts.append("(check for a syntax error or a number too large to represent)")
        }
        return parts.joined(separator: " ")
    }
}

extension UInt8 {
    var isJSONWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}

/// A JSON response with the API's encoding.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    init(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.value = value
        self.status = status
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Parameters {
    /// Reports every query parameter not in `allowed` (a typo is an error, not silently ignored).
    func rejectUnknown(allowed: Set<String>, errors: inout FieldErrors) {
        for key in Set(map { String($0.key) }).sorted() where !allowed.contains(key) {
            errors.add(key, "is not a known query parameter (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
