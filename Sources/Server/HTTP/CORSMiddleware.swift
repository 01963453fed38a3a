import HTTPTypes
import Hummingbird

/// CORS for the origins in `TA_CORS_ORIGINS` only. An allowed origin gets the CORS headers (and
/// preflights a 204); any other origin gets none, and its preflight is refused with 403, so a
/// browser on a foreign site can neither call the API nor read its answers.
struct AllowlistCORSMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let allowedOrigins: Set<String>
    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, X-API-Key, Content-Type, X-Request-Id"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allowedOrigins.contains(origin)
        let isPreflight = request.method == .options && request.headers[.accessControlRequestMethod] != nil
        if isPreflight {
            guard allowed else {
                // Answered here: this middleware runs outside the one that renders thrown problems.
                return Problem(.forbidden, code: "origin_not_allowed", detail: "origin \(origin) is not in TA_CORS_ORIGINS")
                    .response(requestID: context.requestID, path: request.uri.path)
            }
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = origin
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlMaxAge] = "600"
            headers[.vary] = "Origin"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "X-Request-Id"
            response.headers[.vary] = "Origin"
        }
        return response
    }
}
