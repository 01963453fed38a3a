import Foundation

/// Source of the current time, injected so tests can pin it.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

extension Duration {
    /// The duration in seconds as a Double (for timing arithmetic and reports only, never money).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
