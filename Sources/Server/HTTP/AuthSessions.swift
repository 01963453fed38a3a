import Foundation
import Synchronization
import TradingEngine

/// Login codes and sessions, held in memory only (a restart signs everyone out).
///
/// - A login code is random, single use and valid for `codeLifetime` (5 minutes). It is what the
///   start-up banner and `POST /api/v1/auth/codes` hand out instead of the API key, so the key never
///   has to appear in a URL (see docs/operations.md, "Access, login and secrets").
/// - A session token is random and valid for `sessionLifetime` (12 hours); `APIKeyMiddleware`
///   accepts it exactly like the key. `POST /api/v1/auth/logout` ends it.
final class AuthSessions: Sendable {
    let codeLifetime: TimeInterval
    let sessionLifetime: TimeInterval
    let clock: any WallClock
    /// Bounds memory: past these counts the entries closest to expiry are dropped first.
    static let maxCodes = 1_000
    static let maxSessions = 10_000

    private struct State {
        var codes: [String: Date] = [:]
        var sessions: [String: Date] = [:]
    }
    private let state = Mutex(State())

    init(codeLifetime: TimeInterval = 5 * 60, sessionLifetime: TimeInterval = 12 * 60 * 60, clock: any WallClock) {
        self.codeLifetime = codeLifetime
        self.sessionLifetime = sessionLifetime
        self.clock = clock
    }

    /// A new single-use login code.
    func issueCode() -> (code: String, expiresAt: Date) {
        let now = clock.now()
        let code = APIKeyStore.generate(bytes: 16)
        let expiry = now.addingTimeInterval(codeLifetime)
        state.withLock { state in
            state.codes = Self.pruned(state.codes, now: now, keep: Self.maxCodes - 1)
            state.codes[code] = expiry
        }
        return (code, expiry)
    }

    /// Trades a valid, unused, unexpired code for a new session; the code is gone afterwards either way.
    func redeem(code: String) -> (token: String, expiresAt: Date)? {
        let now = clock.now()
        let valid = state.withLock { state -> Bool in
            guard let expiry = state.codes.removeValue(forKey: code) else { return false }
            return expiry > now
        }
        return valid ? startSession() : nil
    }

    /// A new session (after a valid code or the API key).
    func startSession() -> (token: String, expiresAt: Date) {
        let now = clock.now()
        let token = APIKeyStore.generate()
        let expiry = now.addingTimeInterval(sessionLifetime)
        state.withLock { state in
            state.sessions = Self.pruned(state.sessions, now: now, keep: Self.maxSessions - 1)
            state.sessions[token] = expiry
        }
        return (token, expiry)
    }

    /// True while `token` is a live session. Tokens are 256 random bits, so looking one up in a
    /// dictionary leaks nothing useful through timing.
    func isValidSession(_ token: String) -> Bool {
        let now = clock.now()
        return state.withLock { state in
            guard let expiry = state.sessions[token] else { return false }
            if expiry <= now {
                state.sessions[token] = nil
                return false
            }
            return true
        }
    }

    /// Ends a session; true when there was one.
    @discardableResult
    func endSession(_ token: String) -> Bool {
        state.withLock { $0.sessions.removeValue(forKey: token) != nil }
    }

    var counts: (codes: Int, sessions: Int) {
        state.withLock { ($0.codes.count, $0.sessions.count) }
    }

    private static func pruned(_ entries: [String: Date], now: Date, keep: Int) -> [String: Date] {
        var live = entries.filter { $0.value > now }
        if live.count > keep {
            let dropped = live.sorted { $0.value < $1.value }.prefix(live.count - keep).map { $0.key }
            for key in dropped { live[key] = nil }
        }
        return live
    }
}

/// Who may use the API: the key, or a live session. Shared by `APIKeyMiddleware`, `/auth/login`
/// and `/ready` (which shows details only to a caller that presents valid credentials).
struct Authenticator: Sendable {
    let key: [UInt8]
    let sessions: AuthSessions
    let failures: AuthFailureLimiter

    init(key: String, sessions: AuthSessions, failures: AuthFailureLimiter) {
        self.key = Array(key.utf8)
        self.sessions = sessions
        self.failures = failures
    }

    func isKey(_ candidate: String) -> Bool {
        APIKeyMiddleware.constantTimeEquals(Array(candidate.utf8), key)
    }

    /// True for the API key or a live session token.
    func accepts(_ candidate: String) -> Bool {
        // Both checks run every time, so the answer's timing does not say which one matched.
        let key = isKey(candidate)
        let session = sessions.isValidSession(candidate)
        return key || session
    }
}
