import Testing
import TradingDomain
@testable import Simulation

@Suite("Seeded random numbers")
struct SeedAndRandomTests {
    @Test("SplitMix64 matches the reference vectors (seed 1234567)")
    func splitMixReference() {
        var generator = SplitMix64(state: 1_234_567)
        let values = (0..<5).map { _ in generator.next() }
        #expect(values == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test("xoshiro256** seeded by SplitMix64 matches an independent implementation")
    func xoshiroReference() {
        var random = SimRandom(seed: 42)
        #expect((0..<4).map { _ in random.next() } == [
            1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
            17_057_574_109_182_124_193,
        ])
        var zero = SimRandom(seed: 0)
        #expect([zero.next(), zero.next()] == [11_091_344_671_253_066_420, 13_793_997_310_169_335_082])
    }

    @Test("FNV-1a 64 matches the published test vectors")
    func fnvVectors() {
        #expect(StableHash.fnv1a("") == 0xCBF2_9CE4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(StableHash.fnv1a("foobar") == 0x8594_4171_F739_67E8)
        #expect(StableHash.fnv1a("AAPL") == 0x8910_6B8B_9F08_6CCB)
    }

    @Test("TA_SIM_SEED parsing", arguments: [
        (nil, UInt64(42)), ("", 42), ("  ", 42), ("7", 7), (" 0x2A ", 42), ("18446744073709551615", UInt64.max),
    ] as [(String?, UInt64)])
    func parseSeed(text: String?, expected: UInt64) throws {
        #expect(try SimulationSeed.parse(text).value == expected)
    }

    @Test("bad TA_SIM_SEED values are refused, naming the variable", arguments: ["-1", "abc", "1.5", "18446744073709551616", "0x"])
    func badSeed(text: String) {
        let error = #expect(throws: ValidationFailure.self) { try SimulationSeed.parse(text) }
        #expect(error?.errors.first?.field == "TA_SIM_SEED")
    }

    @Test("streams are reproducible and independent per seed, symbol, purpose and index")
    func streams() {
        let seed = SimulationSeed(42)
        let aapl = Symbol(trusted: "AAPL")
        func first(_ random: SimRandom) -> UInt64 { var copy = random; return copy.next() }
        let base = first(seed.random(for: aapl, .live))
        #expect(first(seed.random(for: aapl, .live)) == base)
        #expect(first(SimulationSeed(43).random(for: aapl, .live)) != base)
        #expect(first(seed.random(for: Symbol(trusted: "MSFT"), .live)) != base)
        #expect(first(seed.random(for: aapl, .dailyPath)) != base)
        #expect(first(seed.random(for: aapl, .live, index: 1)) != base)
    }

    @Test("uniforms, bounded integers and the bell-shaped shock have the right ranges and moments")
    func distributions() {
        var random = SimRandom(seed: 7)
        var sum = 0.0, sumSquares = 0.0, largest = 0.0
        var counts = [Int](repeating: 0, count: 5)
        let n = 200_000
        for _ in 0..<n {
            let u = random.unit()
            #expect(u >= 0 && u < 1)
            counts[random.int(below: 5)] += 1
            let z = random.gaussian()
            sum += z
            sumSquares += z * z
            largest = max(largest, abs(z))
        }
        let mean = sum / Double(n)
        let variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.02)
        #expect(largest <= 3.465)
        #expect(largest > 2.5)
        for count in counts { #expect(abs(count - n / 5) < n / 100) }
    }
}
