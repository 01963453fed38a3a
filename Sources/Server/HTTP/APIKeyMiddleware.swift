import Foundation
import HTTPTypes
import Hummingbird

/// Requires the API key or a session token (from `POST /auth/login`) on every route behind it:
/// `Authorization: Bearer KEY` or `X-API-Key: KEY`. The key comparison takes the same time whatever
/// the candidate, so timing does not leak the key.
///
/// The failed-auth limit (docs/operations.md, "Access, login and secrets"): only a WRONG credential
/// counts against the address; a missing one never counts. Valid credentials are checked first, so
/// the right key or a live session is never refused, even from an address over the limit; a wrong
/// credential from such an address gets 429 with `Retry-After`.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    let auth: Authenticator

    init(auth: Authenticator) {
        self.auth = auth
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let candidate = Self.presentedKey(request) else {
            // Missing credentials: a plain 401, never counted, never a lock-out.
            throw Self.unauthorized
        }
        if auth.accepts(candidate) { return try await next(request, context) }
        throw Self.refusal(for: context.remoteAddress, failures: auth.failures)
    }

    /// The answer to a wrong credential: 429 when the address is over the limit, else 401 (counted).
    static func refusal(for address: String, failures: AuthFailureLimiter) -> Problem {
        if let wait = failures.blockedFor(address) {
            var problem = Problem(.tooManyRequests, code: "too_many_auth_failures",
                                  detail: "too many requests with a wrong API key or session from this address; try again in \(wait) s")
            problem.headers[.retryAfter] = String(wait)
            return problem
        }
        failures.recordFailure(address)
        return unauthorized
    }

    static var unauthorized: Problem {
        var problem = Problem.unauthorized
        problem.headers[.wwwAuthenticate] = #"Bearer realm="trading-assistant""#
        return problem
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
