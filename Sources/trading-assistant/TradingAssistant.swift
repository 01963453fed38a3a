import ArgumentParser
import Benchmarks
import CoachMCP
import Foundation
import Logging
import Server
import ServiceLifecycle

@main
struct TradingAssistant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trading-assistant",
        abstract: "Self-hosted trading assistant: live prices, alerts, plans, orders, journal, risk, coach.",
        version: AppVersion.current,
        subcommands: [Serve.self, Migrate.self, Bench.self, MCP.self],
        defaultSubcommand: Serve.self
    )
}

/// Flags shared by the subcommands; each overrides the matching environment variable.
struct CommonOptions: ParsableArguments {
    @Option(help: "Address to bind (TA_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (TA_PORT, default 8000).") var port: String?
    @Option(name: .customLong("data-dir"), help: "Data folder (TA_DATA_DIR, default ./data).") var dataDir: String?
    @Option(name: .customLong("log-level"), help: "trace|debug|info|notice|warning|error|critical (TA_LOG_LEVEL).") var logLevel: String?
    @Option(name: .customLong("log-format"), help: "json|text (TA_LOG_FORMAT).") var logFormat: String?
    @Option(name: .customLong("env-file"), help: "File of KEY=value lines read after the environment.") var envFile: String = ".env"

    /// Reads and validates the configuration, or exits with one clear line and status 78 (EX_CONFIG).
    func loadConfig() async throws -> AppConfig {
        var flags: [String: String] = [:]
        flags["ta.host"] = host
        flags["ta.port"] = port
        flags["ta.data.dir"] = dataDir
        flags["ta.log.level"] = logLevel
        flags["ta.log.format"] = logFormat
        do {
            let reader = try await AppConfig.reader(flags: flags, envFile: envFile)
            return try AppConfig.load(from: reader)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(78)
        } catch {
            FileHandle.standardError.write(Data("error: could not read configuration: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the server (the default).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let config = try await options.loadConfig()
        do {
            let built = try await buildApplication(config: config)
            var groupConfig = ServiceGroupConfiguration(
                services: [built.application], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: built.components.logger)
            groupConfig.maximumGracefulShutdownDuration = Duration.seconds(config.shutdownTimeoutSeconds)
            groupConfig.maximumCancellationDuration = Duration.seconds(1)
            try await ServiceGroup(configuration: groupConfig).run()
            built.components.logger.info("stopped")
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run database migrations and exit.")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let config = try await options.loadConfig()
        try await runMigrations(config: config)
        print("migrations are up to date (\(config.storeLocation))")
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the market-data path (ingest throughput, tick-to-WebSocket latency) and print the figures.")
    @Option(help: "Ticks for the ingest part.") var ticks: Int = 500_000
    @Option(help: "WebSocket clients for the latency part.") var clients: Int = 100
    @Option(help: "Seconds of ticks for the latency part.") var seconds: Int = 10
    @Flag(help: "Print one JSON object with every figure (docs/performance.md) instead of the text report.")
    var json = false

    func run() async throws {
        let report = try await MarketBenchmark.run(ticks: ticks, clients: clients, latencySeconds: seconds)
        if json {
            print(report.json)
        } else {
            for line in report.lines { print(line) }
        }
    }
}

struct MCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the coach's tools over MCP on stdin/stdout (for MCP clients); the rest of the app runs too.",
        discussion: """
            stdout carries only MCP messages; logs and the dashboard URL go to stderr. The HTTP server binds an \
            ephemeral port unless TA_PORT is set. It uses the same data folder as `serve`: do not run both on one \
            data folder at once (each would keep its own paper-broker books).
            """)
    @OptionGroup var options: CommonOptions

    func run() async throws {
        var config = try await options.loadConfig()
        if options.port == nil && ProcessInfo.processInfo.environment["TA_PORT"] == nil { config.port = 0 }
        let built = try await Self.build(config)
        var groupConfig = ServiceGroupConfiguration(services: [built.application], logger: built.components.logger)
        groupConfig.maximumGracefulShutdownDuration = Duration.seconds(config.shutdownTimeoutSeconds)
        let group = ServiceGroup(configuration: groupConfig)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // The session ends when the client closes stdin; then the app shuts down.
            try await serveMCP(toolbox: built.components.coach.toolbox, version: AppVersion.current)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func build(_ config: AppConfig) async throws -> (application: some Service, components: AppComponents) {
        do {
            // stdout carries MCP messages and stderr may be captured by the client: never a login code.
            return try await buildApplication(config: config, loginCodeInBanner: false, announce: { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            })
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}
