import Foundation
import Testing
import TradingDomain

/// Recorded vendor responses copied from `shared/contracts/fixtures/polygon/` (stocks only).
enum PolygonFixtures {
    static func url(_ relativePath: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent(relativePath)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// `ws/stocks-session.jsonl`: one server frame per line, in order.
    static func sessionFrames() throws -> [String] {
        let text = String(decoding: try data("ws/stocks-session.jsonl"), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The two extra status frames quoted in `ws/README.md` (auth_failed, max_connections).
    static func readmeStatusFrames() throws -> [String] {
        let text = String(decoding: try data("ws/README.md"), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("[{") }
    }
}

/// An exact Decimal from its decimal text (a Swift float literal would go through Double).
func dec(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        Issue.record("bad decimal literal \(text)")
        return 0
    }
    return value
}

func sym(_ text: String) -> Symbol { Symbol(trusted: text) }

/// Unix milliseconds of a date, for exact timestamp assertions.
func ms(_ date: Date?) -> Int64? {
    date.map { Int64(($0.timeIntervalSince1970 * 1_000).rounded()) }
}

/// Unix microseconds of a date (Date cannot hold every nanosecond digit).
func us(_ date: Date?) -> Int64? {
    date.map { Int64(($0.timeIntervalSince1970 * 1_000_000).rounded()) }
}

func body(_ json: String) -> Data { Data(json.utf8) }
