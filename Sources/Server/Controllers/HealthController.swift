import Foundation
import HTTPTypes
import Hummingbird
import TradingEngine

/// `GET /health` (the process answers) and `GET /ready` (every registered check passes; 503 if not).
/// `/ready` is public, so without credentials it says only ready or not and the names of the failing
/// checks; their details (order ids, symbols, broker and feed messages) need the API key or a session
/// (docs/operations.md, "Access, login and secrets").
struct HealthController {
    let readiness: ReadinessRegistry
    let startedAt: Date
    let version: String
    let auth: Authenticator

    struct Health: Encodable, Sendable {
        var status: String
        var version: String
        var uptime_s: Int
    }

    struct Ready: Encodable, Sendable {
        struct Check: Encodable, Sendable {
            var name: String
            var ok: Bool
            var detail: String
        }
        var status: String
        var checks: [Check]
    }

    /// The answer to a caller without credentials.
    struct PublicReady: Encodable, Sendable {
        var status: String
        /// Names of the failing checks only.
        var failing: [String]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("health") { _, _ in
            JSONResponse(Health(status: "ok", version: version, uptime_s: Int(Date().timeIntervalSince(startedAt))))
        }
        router.get("ready") { request, context in
            let results = await readiness.run()
            let ready = results.allSatisfy(\.ok)
            let status: HTTPResponse.Status = ready ? .ok : .serviceUnavailable
            let label = ready ? "ready" : "not_ready"
            if try detailsAllowed(request, context) {
                return try JSONResponse(
                    Ready(status: label, checks: results.map { .init(name: $0.name, ok: $0.ok, detail: $0.detail) }),
                    status: status
                ).response(from: request, context: context)
            }
            return try JSONResponse(PublicReady(status: label, failing: results.filter { !$0.ok }.map(\.name)), status: status)
                .response(from: request, context: context)
        }
    }

    /// True with the key or a live session. A wrong credential counts as a failed authentication
    /// (else `/ready` would be an unlimited oracle for guessing the key) and, from an address over the
    /// limit, gets the same 429 as the API.
    private func detailsAllowed(_ request: Request, _ context: AppRequestContext) throws -> Bool {
        guard let candidate = APIKeyMiddleware.presentedKey(request) else { return false }
        if auth.accepts(candidate) { return true }
        let refusal = APIKeyMiddleware.refusal(for: context.remoteAddress, failures: auth.failures)
        if refusal.status == 429 { throw refusal }
        return false
    }
}
