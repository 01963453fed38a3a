import Foundation
import TradingEngine
import Synchronization

/// Short-lived, single-use tokens that open one WebSocket each. A browser cannot set headers on a
/// WebSocket request, so it trades its API key (in a normal request) for a token in the URL;
/// the token is useless once used or after `lifetime`.
package final class WebSocketTokens: Sendable {
    let lifetime: TimeInterval
    let clock: any WallClock
    private let tokens = Mutex<[String: Date]>([:])

    init(lifetime: TimeInterval = 60, clock: any WallClock) {
        self.lifetime = lifetime
        self.clock = clock
    }

    package func issue() -> (token: String, expiresAt: Date) {
        let now = clock.now()
        let token = APIKeyStore.generate()
        let expiry = now.addingTimeInterval(lifetime)
        tokens.withLock { tokens in
            tokens = tokens.filter { $0.value > now }
            tokens[token] = expiry
        }
        return (token, expiry)
    }

    /// True once per valid, unexpired token.
    func redeem(_ token: String) -> Bool {
        let now = clock.now()
        return tokens.withLock { tokens in
            guard let expiry = tokens.removeValue(forKey: token) else { return false }
            return expiry > now
        }
    }
}
