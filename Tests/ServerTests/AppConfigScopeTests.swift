import Configuration
import Foundation
import Server
import Testing

/// One configuration struct per adapter, each read from its own scope of the reader; every
/// violation in every scope is reported at once, named by its variable (docs/configuration.md).
@Suite("Configuration: one struct per adapter")
struct AppConfigScopeTests {
    static func load(_ environment: [String: String]) async throws -> AppConfig {
        try AppConfig.load(from: try await AppConfig.reader(flags: [:], environment: environment, envFile: nil))
    }

    @Test("each adapter's struct gets the variables of its scope")
    func scopes() async throws {
        let config = try await Self.load([
            "POLYGON_API_KEY": "pk-0123456789", "POLYGON_FEED": "delayed", "POLYGON_MAX_REQUESTS_PER_MIN": "50",
            "TA_PAPER_EQUITY": "25000.50", "TA_PAPER_OPTION_VOLATILITY": "0.45", "TA_SIM_SEED": "7", "TA_SIM_TICKS_PER_S": "9",
            "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "TA_COACH_MODEL": "llama3", "TA_COACH_MAX_ROUNDS": "3",
            "TA_REPLAY_SPEED": "10",
        ])
        #expect(config.polygon.apiKey == "pk-0123456789")
        #expect(config.polygon.feed == .delayed)
        #expect(config.polygon.streamURL == "wss://delayed.massive.com/stocks")
        #expect(config.polygon.requestsPerMinute == 50)
        #expect(config.marketData == .polygon)
        #expect(config.paper.equity == Decimal(string: "25000.50"))
        #expect(config.paper.optionVolatility == Decimal(string: "0.45"))
        #expect(config.simulation.seed == 7 && config.simulation.ticksPerSecond == 9)
        #expect(config.replay.speed == 10)
        #expect(config.coach.backend == .openai && config.coach.model == "llama3" && config.coach.maxRounds == 3)
        #expect(config.tradier.isConfigured == false)
    }

    @Test("TA_DB_READERS and TA_MAX_WS_CLIENTS: defaults 2 and 1,000, range-checked, shown by diag/config")
    func readersAndClientCap() async throws {
        let defaults = try await Self.load([:])
        #expect(defaults.databaseReaders == 2 && defaults.maxWebSocketClients == 1_000)
        let set = try await Self.load(["TA_DB_READERS": "0", "TA_MAX_WS_CLIENTS": "1500"])
        #expect(set.databaseReaders == 0 && set.maxWebSocketClients == 1_500)
        #expect(set.redactedSummary["TA_DB_READERS"] == .some("0"))
        do {
            _ = try await Self.load(["TA_DB_READERS": "17"])
            Issue.record("17 readers were accepted")
        } catch let error as ConfigError {
            #expect(error.variables.contains("TA_DB_READERS"))
        }
    }

    @Test("violations in different scopes are all reported, each under its own variable")
    func everyViolation() async throws {
        do {
            _ = try await Self.load([
                "POLYGON_WS_URL": "ftp://example.com", "TA_PAPER_EQUITY": "-5", "TA_SIM_SEED": "seven",
                "TRADIER_ACCESS_TOKEN": "token-0123456789", "CHATDATA_BASE_URL": "http://chat.example.com",
                "TA_COACH_MAX_ROUNDS": "99", "TA_PORT": "99999",
            ])
            Issue.record("an invalid configuration was accepted")
        } catch let error as ConfigError {
            let named = Set(error.variables)
            for variable in ["POLYGON_WS_URL", "TA_PAPER_EQUITY", "TA_SIM_SEED", "TRADIER_ACCOUNT_ID", "CHATDATA_BASE_URL",
                             "TA_COACH_MAX_ROUNDS", "TA_PORT", "TA_MARKET_DATA"] {
                #expect(named.contains(variable), "\(variable) not reported in \(error)")
            }
            #expect(!error.description.contains("token-0123456789"), "a secret value is never repeated")
        }
    }
}
