import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TradingEngine

/// First middleware of every request: gives it an id (kept from a sane incoming `X-Request-Id`),
/// sets the body size limit, and writes one log line when it ends
/// (request id, method, path, status, duration). Query strings are not logged: they can hold tokens.
/// Every response also carries `Referrer-Policy: no-referrer`, so a URL of ours (say `/?login=CODE`
/// before the dashboard removes the code) is never sent on to another site
/// (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let referrerPolicyHeader = HTTPField.Name("Referrer-Policy")!

    let logger: Logger
    let maxBodyBytes: Int
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = maxBodyBytes
        context.requestID = Self.requestID(from: request)
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[Self.requestIDHeader] = context.requestID
        response.headers[Self.referrerPolicyHeader] = "no-referrer"
        let seconds = (ContinuousClock.now - start).seconds
        let milliseconds = seconds * 1000
        let route = context.coreContext.endpointPath.value.map { $0 == "NotFound" ? "unmatched" : $0 } ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: Int(response.status.code), seconds: seconds)
        logger.log(
            level: response.status.code >= 500 ? .error : .info,
            "request",
            metadata: [
                "request_id": .string(context.requestID),
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.2f", milliseconds)),
            ])
        return response
    }

    static func requestID(from request: Request) -> String {
        if let incoming = request.headers[requestIDHeader], (1...64).contains(incoming.count),
           incoming.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) {
            return incoming
        }
        return UUID().uuidString.lowercased()
    }
}
