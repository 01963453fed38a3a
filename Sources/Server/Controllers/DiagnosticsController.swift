import Foundation
import Hummingbird
import Persistence
import TradingDomain
import TradingEngine

/// `GET /api/v1/diag/config`, `/diag/ws`, `/diag/engine`, `/diag/db` (feeds, outbox and broker
/// live with their controllers).
struct DiagnosticsController {
    let config: AppConfig
    let hub: WebSocketHub
    let alerts: AlertEngine
    let market: MarketDataService
    let store: Store
    let failures: AuthFailureLimiter

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("diag/config") { _, _ in
            JSONResponse(["config": config.redactedSummary])
        }
        group.get("diag/ws") { _, _ in
            let stats = hub.stats
            return JSONResponse(WebSocketDiagnostics(
                clients: stats.clients, max_clients: config.maxWebSocketClients, connected_total: stats.connectedTotal,
                dropped_total: stats.dropped, frames_sent: stats.framesSent, deepest_queue: stats.deepestQueue,
                max_queue: hub.maxQueued, auth_blocked_addresses: failures.blockedAddresses))
        }
        group.get("diag/engine") { _, _ in
            let stats = alerts.stats
            let latency = alerts.evaluationLatency
            func micro(_ value: Int64?) -> Double? { value.map { $0 == Int64.max ? -1 : Double($0) / 1000 } }
            return JSONResponse(EngineDiagnostics(
                alerts_armed: alerts.armedCount, ticks_evaluated: stats.ticks, firings: stats.firings, firings_stored: stats.stored,
                ticks_ingested: market.cache.eventCount,
                evaluation_latency_us: .init(
                    samples: latency.count, mean: latency.meanNanoseconds.map { ($0 / 10).rounded() / 100 },
                    p50_at_most: micro(latency.quantile(0.5)), p99_at_most: micro(latency.quantile(0.99)),
                    p999_at_most: micro(latency.quantile(0.999)))))
        }
        group.get("diag/db") { _, _ in
            let started = ContinuousClock.now
            var reachable = true
            var error: String?
            do { try await store.ping() } catch let failure {
                reachable = false
                error = "\(failure)"
            }
            let elapsed = (ContinuousClock.now - started).seconds * 1000
            return JSONResponse(DatabaseDiagnostics(
                backend: store.backend, reachable: reachable, ping_ms: (elapsed * 100).rounded() / 100, error: error,
                migrations: Schema.migrationNames))
        }
    }
}

struct WebSocketDiagnostics: Encodable, Sendable {
    var clients: Int
    var max_clients: Int
    var connected_total: Int
    var dropped_total: Int
    var frames_sent: Int
    var deepest_queue: Int
    var max_queue: Int
    var auth_blocked_addresses: Int
}

struct EngineDiagnostics: Encodable, Sendable {
    struct Latency: Encodable, Sendable {
        var samples: Int
        var mean: Double?
        /// Bucket bounds: the quantile is at or below this many microseconds (-1: above the top bucket).
        var p50_at_most: Double?
        var p99_at_most: Double?
        var p999_at_most: Double?
    }

    var alerts_armed: Int
    var ticks_evaluated: Int
    var firings: Int
    var firings_stored: Int
    var ticks_ingested: Int
    var evaluation_latency_us: Latency
}

struct DatabaseDiagnostics: Encodable, Sendable {
    var backend: String
    var reachable: Bool
    var ping_ms: Double
    var error: String?
    var migrations: [String]
}
