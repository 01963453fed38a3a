import Foundation
import Hummingbird
import TradingEngine

/// `GET /health` (the process answers) and `GET /ready` (every registered check passes; 503 if not).
struct HealthController {
    let readiness: ReadinessRegistry
    let startedAt: Date
    let version: String

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

    func register(on router: Router<AppRequestContext>) {
        router.get("health") { _, _ in
            JSONResponse(Health(status: "ok", version: version, uptime_s: Int(Date().timeIntervalSince(startedAt))))
        }
        router.get("ready") { _, _ in
            let results = await readiness.run()
            let ready = results.allSatisfy(\.ok)
            return JSONResponse(
                Ready(status: ready ? "ready" : "not_ready",
                      checks: results.map { .init(name: $0.name, ok: $0.ok, detail: $0.detail) }),
                status: ready ? .ok : .serviceUnavailable)
        }
    }
}
