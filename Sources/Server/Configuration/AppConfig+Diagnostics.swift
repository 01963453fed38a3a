import Foundation
import TradingDomain

extension AppConfig {
    /// Shows that a secret is set without showing it.
    static func redacted(_ secret: String?) -> String? {
        secret.map { _ in "[redacted]" }
    }

    /// The effective configuration for `GET /api/v1/diag/config`: every value, every secret
    /// replaced by `[redacted]` (the database URL keeps its host and name, not its password).
    public var redactedSummary: [String: String?] {
        var database: String? = nil
        if let databaseURL, var components = URLComponents(string: databaseURL) {
            if components.password != nil { components.password = "[redacted]" }
            database = components.string
        }
        var summary: [String: String?] = [
            "TA_HOST": host, "TA_PORT": String(port), "TA_DATA_DIR": dataDirectory,
            "TA_API_KEY": Self.redacted(apiKey) ?? "[generated, in data/api_key]",
            "TA_CORS_ORIGINS": corsOrigins.joined(separator: ","), "TA_LOG_LEVEL": logLevel.rawValue,
            "TA_LOG_FORMAT": logFormat.rawValue, "TA_MAX_BODY_BYTES": String(maxBodyBytes),
            "TA_SHUTDOWN_TIMEOUT_S": String(shutdownTimeoutSeconds), "DATABASE_URL": database,
            "storage": databaseURL == nil ? "sqlite" : "postgres",
            "TA_MARKET_DATA": marketData.rawValue, "TA_STALE_AFTER_S": String(staleAfterSeconds),
            "TA_MAX_ALERTS": String(maxAlerts), "TA_ALERT_POLL_S": String(alertPollSeconds),
            "TA_ALLOW_LIVE_TRADING": String(allowLiveTrading),
            "TA_BROKER_TIMEOUT_S": String(brokerTimeoutSeconds), "TA_UNKNOWN_PROOF_S": String(unknownProofSeconds),
            "simulated_prices_for_real_broker": String(realBrokerOnSimulatedPrices),
            "TA_AUTH_FAILURES_PER_MIN": String(authFailuresPerMinute), "TA_RISK_INTERVAL_S": String(riskIntervalSeconds), "TA_MAX_WS_CLIENTS": String(maxWebSocketClients),
            "TA_DB_READERS": String(databaseReaders),
            "TA_PUBLIC_DIR": publicDirectory, "TA_DISCORD_API_BASE": testHooks.discordAPIBase,
            "TA_TEST_NOW": testHooks.now.map(ISO8601.format),
        ]
        for part in [simulation.summary, replay.summary, polygon.summary, tradier.summary, paper.summary, coach.summary] {
            summary.merge(part) { current, _ in current }
        }
        return summary
    }
}
