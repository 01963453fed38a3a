import Foundation
import TradingEngine
import Synchronization

/// Counts failed authentications per address in a sliding minute; past `limit` the address is
/// refused (429) until its oldest failure in the window is a minute old.
final class AuthFailureLimiter: Sendable {
    let limit: Int
    let window: TimeInterval = 60
    let clock: any WallClock
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int, clock: any WallClock) {
        self.limit = limit
        self.clock = clock
    }

    func recordFailure(_ address: String) {
        let now = clock.now()
        failures.withLock { failures in
            var list = failures[address, default: []].filter { now.timeIntervalSince($0) < window }
            list.append(now)
            failures[address] = list
            // Bound memory: forget addresses with nothing recent.
            if failures.count > 10_000 { failures = failures.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < window } }
        }
    }

    /// Seconds to wait when `address` is over the limit, else nil.
    func blockedFor(_ address: String) -> Int? {
        let now = clock.now()
        return failures.withLock { failures -> Int? in
            let recent = failures[address, default: []].filter { now.timeIntervalSince($0) < window }
            failures[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    var blockedAddresses: Int {
        let now = clock.now()
        return failures.withLock { $0.values.filter { $0.filter { now.timeIntervalSince($0) < window }.count >= limit }.count }
    }
}
