import APIInput
import Foundation
import Hummingbird
import TradingDomain

/// Signing in without the API key in any URL (docs/api.md, "Authentication"):
/// - `POST /auth/login {"code"}` or `{"api_key"}` (public) → a session token;
/// - `POST /api/v1/auth/codes` (key or session) → a one-time login code and its `/?login=` URL;
/// - `POST /api/v1/auth/logout` ends the presented session.
struct AuthController {
    let auth: Authenticator

    struct SessionDTO: Encodable, Sendable {
        var token: String
        var expires_at: Date
    }

    struct CodeDTO: Encodable, Sendable {
        var code: String
        var url: String
        var expires_at: Date
    }

    /// The public route, outside `/api/v1`.
    func registerLogin(on router: Router<AppRequestContext>) {
        router.post("auth/login") { request, context in
            let credential = try await Self.credential(request, context)
            let session: (token: String, expiresAt: Date)?
            switch credential {
            case .code(let code): session = auth.sessions.redeem(code: code)
            case .apiKey(let key): session = auth.isKey(key) ? auth.sessions.startSession() : nil
            }
            guard let session else {
                // A wrong, used or expired code, or a wrong key: counted like any wrong credential.
                let refusal = APIKeyMiddleware.refusal(for: context.remoteAddress, failures: auth.failures)
                if refusal.status == 401 {
                    throw Problem(.unauthorized, code: "login_failed",
                                  detail: "the login code is wrong, used or expired, or the API key is wrong")
                }
                throw refusal
            }
            return JSONResponse(SessionDTO(token: session.token, expires_at: session.expiresAt))
        }
    }

    /// The routes behind the key check.
    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("auth/codes") { _, _ in
            let issued = auth.sessions.issueCode()
            return JSONResponse(CodeDTO(code: issued.code, url: "/?login=\(issued.code)", expires_at: issued.expiresAt), status: .created)
        }
        group.post("auth/logout") { request, _ in
            if let token = APIKeyMiddleware.presentedKey(request) { auth.sessions.endSession(token) }
            return Response(status: .noContent)
        }
    }

    enum Credential {
        case code(String)
        case apiKey(String)
    }

    static func credential(_ request: Request, _ context: AppRequestContext) async throws -> Credential {
        var errors = FieldErrors()
        let body = try await request.jsonBody(context: context)
        guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
        var code: String?
        var key: String?
        if case .value(let text) = reader.string("code", errors: &errors, maxLength: 200, allowEmpty: false) { code = text }
        if case .value(let text) = reader.string("api_key", errors: &errors, maxLength: 1_000, allowEmpty: false) { key = text }
        reader.rejectUnknownKeys(errors: &errors)
        if errors.errors.isEmpty {
            if code == nil && key == nil { errors.add("code", "is required: send a login code or api_key") }
            if code != nil && key != nil { errors.add("api_key", "send either code or api_key, not both") }
        }
        guard errors.errors.isEmpty else { throw ValidationFailure(errors.errors) }
        if let code { return .code(code.trimmingWhitespace()) }
        return .apiKey(key!.trimmingWhitespace())
    }
}
