import TradingDomain

/// The simulation's master seed (`TA_SIM_SEED`), and the derivation of one independent random
/// stream per (symbol, purpose, index) from it.
///
/// Symbols are hashed with FNV-1a over their UTF-8 bytes — stable across processes and machines,
/// unlike Swift's `hashValue`, which is randomised per process.
public struct SimulationSeed: Sendable, Hashable, CustomStringConvertible {
    /// Used when `TA_SIM_SEED` is not set.
    public static let defaultValue: UInt64 = 42
    public static let environmentKey = "TA_SIM_SEED"

    public var value: UInt64

    public init(_ value: UInt64 = SimulationSeed.defaultValue) {
        self.value = value
    }

    public var description: String { String(value) }

    /// Reads `TA_SIM_SEED`: absent or blank means the default; otherwise a decimal `UInt64`
    /// (`0`…`18446744073709551615`) or hexadecimal with a `0x` prefix.
    public static func parse(_ text: String?) throws(ValidationFailure) -> SimulationSeed {
        guard let text = text?.trimmingWhitespace(), !text.isEmpty else { return SimulationSeed() }
        let lower = text.lowercased()
        let parsed = lower.hasPrefix("0x") ? UInt64(lower.dropFirst(2), radix: 16) : UInt64(lower, radix: 10)
        guard let parsed else {
            throw ValidationFailure(
                field: environmentKey,
                message: "must be a whole number from 0 to 18446744073709551615 (or hex like 0x2a), not '\(text)'")
        }
        return SimulationSeed(parsed)
    }

    /// What a random stream is used for; part of its derivation, so streams never overlap.
    public enum Purpose: UInt64, Sendable {
        case dailyPath = 1
        case intraday = 2
        case live = 3
    }

    /// An independent generator for one symbol and purpose (`index` distinguishes e.g. days).
    public func random(for symbol: Symbol, _ purpose: Purpose, index: Int64 = 0) -> SimRandom {
        SimRandom(seed: streamSeed(symbolHash: StableHash.fnv1a(symbol.rawValue), purpose, index: index))
    }

    func streamSeed(symbolHash: UInt64, _ purpose: Purpose, index: Int64) -> UInt64 {
        var h = SplitMix64.mix(value ^ 0x5349_4D5F_5345_4544)  // "SIM_SEED"
        h = SplitMix64.mix(h ^ symbolHash)
        h = SplitMix64.mix(h ^ (purpose.rawValue &* 0x9E37_79B9_7F4A_7C15))
        return SplitMix64.mix(h ^ UInt64(bitPattern: index))
    }
}

/// Stable (process- and machine-independent) string hashing.
public enum StableHash {
    /// 64-bit FNV-1a over the UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// A well-mixed value in [0, 1) derived from `text` and a `salt` (different salts give
    /// independent values), e.g. for a symbol's deterministic profile.
    public static func unit(_ text: String, salt: UInt64) -> Double {
        let mixed = SplitMix64.mix(fnv1a(text) ^ SplitMix64.mix(salt))
        return Double(mixed >> 11) * 0x1p-53
    }
}
