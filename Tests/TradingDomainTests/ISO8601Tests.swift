import Foundation
import Testing
import TradingDomain

@Suite("ISO-8601 times")
struct ISO8601Tests {
    @Test("parses UTC, offsets and fractions exactly", arguments: [
        ("2026-01-02T14:30:00Z", Int64(1_767_364_200_000)),
        ("2026-01-02T14:30:00.250Z", Int64(1_767_364_200_250)),
        ("2026-01-02T09:30:00-05:00", Int64(1_767_364_200_000)),
        ("2026-01-02T15:30:00.2+01:00", Int64(1_767_364_200_200)),
        ("2024-02-29T00:00:00Z", Int64(1_709_164_800_000)),
    ])
    func parses(text: String, expected: Int64) throws {
        let date = try #require(ISO8601.parse(text))
        #expect(date.epochMilliseconds == expected)
    }

    @Test("refuses impossible or zone-less times", arguments: [
        "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T00:00:00Z", "2026-01-02T24:00:00Z",
        "2026-01-02T10:00:00", "2026-01-02", "2026-01-02T10:00:00.Z", "2026-01-02T10:00:00+5", "yesterday", "",
    ])
    func refuses(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test("formats UTC with milliseconds")
    func formats() {
        #expect(ISO8601.format(Date(epochMilliseconds: 1_767_364_200_250)) == "2026-01-02T14:30:00.250Z")
    }
}
