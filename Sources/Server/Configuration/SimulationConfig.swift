import Foundation

/// The offline simulated market (`TA_SIM_*`, docs/configuration.md).
public struct SimulationConfig: Sendable {
    /// When the simulated market trades (`TA_SIM_SESSION`, docs/simulation.md).
    public enum Session: String, Sendable, CaseIterable {
        /// Follows the market calendar: quiet overnight, at weekends and on holidays.
        case calendar
        /// Ticks at any hour (the demo mode).
        case alwaysOpen = "always_open"
    }

    public var seed: UInt64 = 42
    public var ticksPerSecond: Int = 4
    public var session: Session = .calendar

    public init() {}

    /// Reads the `ta.sim` scope.
    static func read(_ scope: ConfigScope) -> SimulationConfig {
        var config = SimulationConfig()
        if let seed = scope.text("seed") {
            if let value = UInt64(seed) {
                config.seed = value
            } else {
                scope.record(ConfigError(scope.variable("seed"), "must be a whole number from 0 to \(UInt64.max) (got '\(seed)')"))
            }
        }
        if let rate = scope.integer("ticks.per.s", 1...1_000) { config.ticksPerSecond = rate }
        if let session = scope.choice("session", Session.self) { config.session = session }
        return config
    }

    var summary: [String: String?] {
        ["TA_SIM_SEED": String(seed), "TA_SIM_TICKS_PER_S": String(ticksPerSecond), "TA_SIM_SESSION": session.rawValue]
    }
}

/// Replay of recorded prices from a CSV file (`TA_REPLAY_*`).
public struct ReplayConfig: Sendable {
    public var file: String?
    public var speed: Int = 1

    public init() {}

    /// Reads the `ta.replay` scope; the file must be readable when replay is the market data.
    static func read(_ scope: ConfigScope, required: Bool) -> ReplayConfig {
        var config = ReplayConfig()
        config.file = scope.text("file")
        if let speed = scope.integer("speed", 1...100_000) { config.speed = speed }
        if required {
            if let file = config.file {
                if !FileManager.default.isReadableFile(atPath: file) {
                    scope.record(ConfigError(scope.variable("file"), "must name a readable CSV file (got '\(file)')"))
                }
            } else {
                scope.record(ConfigError(scope.variable("file"), "is required when TA_MARKET_DATA is 'replay'"))
            }
        }
        return config
    }

    var summary: [String: String?] {
        ["TA_REPLAY_FILE": file, "TA_REPLAY_SPEED": String(speed)]
    }
}
