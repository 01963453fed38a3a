/// A small, fast, deterministic pseudo-random generator: xoshiro256** (Blackman & Vigna), with its
/// state filled from one 64-bit seed by SplitMix64, as its authors recommend.
///
/// The output sequence depends only on the seed, so a simulation is reproducible across runs,
/// processes and machines. Only integer operations are used here; the `Double` helpers use exact
/// conversions and `+ − × ÷ sqrt` (correctly rounded by IEEE-754), never `log`/`exp`/`sin`, whose
/// last bit may differ between C libraries.
public struct SimRandom: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var splitMix = SplitMix64(state: seed)
        s0 = splitMix.next()
        s1 = splitMix.next()
        s2 = splitMix.next()
        s3 = splitMix.next()
        // xoshiro must not start from the all-zero state (SplitMix64 never yields four zeros, but be safe).
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// Uniform in [0, 1), with 53 random bits (exact conversion).
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform integer in `0..<bound` (`bound` > 0), by multiply-high (Lemire) without rejection:
    /// the bias is below 2⁻⁴⁰ for the small bounds used here, and the mapping never changes.
    @inline(__always)
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// True with probability `p`.
    @inline(__always)
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A standard "bell-shaped" shock with mean 0 and variance 1: the Irwin–Hall sum of four
    /// uniforms, centred and scaled by √3. It is bounded (|z| ≤ 2√3 ≈ 3.46), which keeps a single
    /// step from ever producing an absurd price, and needs no transcendental functions.
    @inline(__always)
    public mutating func gaussian() -> Double {
        let sum = unit() + unit() + unit() + unit()
        return (sum - 2) * 1.732_050_807_568_877_2
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea & Flood): used to expand seeds and as a 64-bit mixing function.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective avalanche of all 64 bits.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
