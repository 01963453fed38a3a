import Foundation
import HTTPTypes
import Hummingbird

/// Requires the API key on every route behind it: `Authorization: Bearer KEY` or `X-API-Key: KEY`.
/// The comparison takes the same time whatever the candidate, so timing does not leak the key.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    let key: [UInt8]
    let failures: AuthFailureLimiter

    init(key: String, failures: AuthFailureLimiter) {
        self.key = Array(key.utf8)
        self.failures = failures
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // An address that failed too often is refused for a while, even with the right key.
        if let wait = failures.blockedFor(context.remoteAddress) {
            var problem = Problem(.tooManyRequests, code: "too_many_auth_failures",
                                  detail: "too many requests with a missing or wrong API key from this address; try again in \(wait) s")
            problem.headers[.retryAfter] = String(wait)
            throw problem
        }
        guard let candidate = Self.presentedKey(request), Self.constantTimeEquals(Array(candidate.utf8), key) else {
            failures.recordFailure(context.remoteAddress)
            var problem = Problem.unauthorized
            problem.headers[.wwwAuthenticate] = #"Bearer realm="trading-assistant""#
            throw problem
        }
        return try await next(request, context)
    }

    static func presentedKey(_ request: Request) -> String? {
        if let header = request.headers[apiKeyHeader] { return header }
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Compares every byte of the longer input, so the time depends only on the lengths.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        let length = max(lhs.count, rhs.count)
        for index in 0..<length {
            let a = index < lhs.count ? lhs[index] : 0
            let b = index < rhs.count ? rhs[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }
}
