import Configuration
import Foundation
import Server
import Testing
import TestSupport

/// Real money needs the explicit opt-in, whatever the URL or label says; a real broker is never
/// priced from the simulated market unless that is asked for (docs/operations.md, "Safety").
@Suite("Live opt-in and market-data rules")
struct LiveOptInTests {
    static func load(_ environment: [String: String]) async throws -> AppConfig {
        try AppConfig.load(from: try await AppConfig.reader(flags: [:], environment: environment, envFile: nil))
    }

    static let tradier = ["TRADIER_ACCESS_TOKEN": "token-0123456789", "TRADIER_ACCOUNT_ID": "VA000001", "POLYGON_API_KEY": "polygon-key"]

    static func refusal(_ environment: [String: String]) async -> ConfigError? {
        do {
            _ = try await load(environment)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("a Tradier URL that is not the sandbox needs TA_ALLOW_LIVE_TRADING, whatever TRADIER_ENV says; it is then reported live")
    func liveURLNeedsOptIn() async throws {
        for url in ["https://api.tradier.com/v1", "https://api.tradier.com/v1/", "https://API.TRADIER.COM/v1", "https://evil.example/v1"] {
            let error = await Self.refusal(Self.tradier.merging(["TRADIER_BASE_URL": url]) { $1 })
            #expect(error?.variable == "TRADIER_BASE_URL", "\(url)")
            #expect(error?.description.contains("TA_ALLOW_LIVE_TRADING") == true)
        }
        let live = try await Self.load(Self.tradier.merging(["TRADIER_BASE_URL": "https://api.tradier.com/v1", "TA_ALLOW_LIVE_TRADING": "true"]) { $1 })
        #expect(live.tradier.environmentInUse == .live, "the URL decides: TRADIER_ENV still says sandbox")
        let sandbox = try await Self.load(Self.tradier.merging(["TRADIER_BASE_URL": "https://sandbox.tradier.com/v1"]) { $1 })
        #expect(sandbox.tradier.environmentInUse == .sandbox)
        let fake = try await Self.load(Self.tradier.merging(["TRADIER_BASE_URL": "http://127.0.0.1:9/v1"]) { $1 })
        #expect(fake.tradier.environmentInUse == .sandbox, "a loopback fake keeps TRADIER_ENV")
        #expect(await Self.refusal(Self.tradier.merging(["TRADIER_ENV": "live"]) { $1 })?.variable == "TRADIER_ENV")
    }

    @Test("plain http is refused for non-loopback broker and model URLs")
    func plainHTTPOnlyToLoopback() async throws {
        let cases: [(String, String)] = [
            ("TRADIER_BASE_URL", "http://sandbox.tradier.com/v1"),
            ("OPENAI_BASE_URL", "http://10.1.2.3:11434/v1"),
            ("CHATDATA_BASE_URL", "http://api.chat-data.com"),
            ("POLYGON_REST_URL", "http://api.massive.com"),
        ]
        for (variable, url) in cases {
            var environment = Self.tradier.merging([variable: url]) { $1 }
            if variable == "CHATDATA_BASE_URL" { environment["CHATDATA_API_KEY"] = "k"; environment["CHATDATA_CHATBOT_ID"] = "b" }
            let error = await Self.refusal(environment)
            #expect(error?.variable == variable, "\(variable)=\(url) → \(String(describing: error))")
            #expect(error?.description.contains("https") == true)
        }
        _ = try await Self.load(Self.tradier.merging(["OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"]) { $1 })
    }

    @Test("Tradier without Polygon prices from Tradier's own market data; simulated prices for a real broker only when asked, with the warning")
    func noRealBrokerOnSimulatedPrices() async throws {
        var environment = Self.tradier
        environment["POLYGON_API_KEY"] = nil
        let tradier = try await Self.load(environment)
        #expect(tradier.marketData == .tradier, "no Polygon key: Tradier's market data, not the random walk")
        #expect(tradier.realBrokerOnSimulatedPrices == false)
        #expect(try await Self.load(Self.tradier).marketData == .polygon, "a Polygon key still wins")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("live-opt-in-\(UUID().uuidString).csv")
        try "timestamp,symbol,price,size\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        for explicit in ["simulated", "replay"] {
            var asked = environment
            asked["TA_MARKET_DATA"] = explicit
            if explicit == "replay" { asked["TA_REPLAY_FILE"] = file.path }
            let config = try await Self.load(asked)
            #expect(config.marketData.rawValue == explicit)
            #expect(config.realBrokerOnSimulatedPrices, "\(explicit): previews carry simulated_prices")
        }
        #expect(try await Self.load([:]).realBrokerOnSimulatedPrices == false, "offline paper on the simulated market is the default")
        #expect(try await Self.load([:]).marketData == .simulated)
        #expect(await Self.refusal(["TA_MARKET_DATA": "tradier"])?.variable == "TA_MARKET_DATA", "Tradier market data needs Tradier's credentials")
    }

    @Test("TRADIER_STREAM_URL is a test seam: only ws(s) to a loopback address")
    func streamURLOnlyToLoopback() async throws {
        for url in ["wss://ws.tradier.com/v1/markets/events", "ws://10.0.0.5:9/v1/markets/events", "http://127.0.0.1:9/v1/markets/events"] {
            #expect(await Self.refusal(Self.tradier.merging(["TRADIER_STREAM_URL": url]) { $1 })?.variable == "TRADIER_STREAM_URL", "\(url)")
        }
        let fake = try await Self.load(Self.tradier.merging(["TRADIER_STREAM_URL": "ws://127.0.0.1:9/v1/markets/events"]) { $1 })
        #expect(fake.tradier.streamURL == "ws://127.0.0.1:9/v1/markets/events")
    }

    @Test("every violation is reported at once, each naming its variable")
    func everyViolationAtOnce() async throws {
        let error = await Self.refusal(["TA_PORT": "eighty", "TA_LOG_FORMAT": "xml", "TRADIER_ENV": "production", "TA_MAX_ALERTS": "-1"])
        // In the order the scopes are read; all four, each once.
        #expect(error?.variables == ["TA_PORT", "TA_LOG_FORMAT", "TRADIER_ENV", "TA_MAX_ALERTS"], "\(String(describing: error))")
        #expect(error?.description.split(separator: "\n").count == 4)
    }

    @Test("start-up refuses with exit 78 and one line naming the variable", arguments: [
        (["TRADIER_BASE_URL": "https://api.tradier.com/v1", "TA_MARKET_DATA": "simulated"], "TRADIER_BASE_URL"),
        (["TA_MARKET_DATA": "polygon"], "TA_MARKET_DATA"),
        (["TRADIER_STREAM_URL": "wss://ws.tradier.com/v1/markets/events"], "TRADIER_STREAM_URL"),
    ])
    func refusedAtStart(extra: [String: String], variable: String) async throws {
        let database = try await TestDatabase.make()
        defer { Task { await database.remove() } }
        var env = ["TA_PORT": "0", "TA_DATA_DIR": database.directory.appendingPathComponent("data").path,
                   "TA_API_KEY": "live-opt-in-test-key-0123456789", "TRADIER_ACCESS_TOKEN": "token-0123456789",
                   "TRADIER_ACCOUNT_ID": "VA000001"]
        env.merge(extra) { $1 }
        let server = try ServerProcess(environment: env, directory: database.directory)
        let status = await server.waitForExit(timeout: .seconds(20))
        #expect(status == 78, "stderr: \(server.stderr)")
        let lines = server.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(server.stderr)")
        #expect(lines.first?.contains(variable) == true)
        #expect(!server.stderr.contains("token-0123456789"))
    }
}
