/// Direction of a position or plan: long profits when the price rises, short when it falls.
public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
    case long
    case short

    /// +1 for long, -1 for short: multiply a price move by it to get the move in the trader's favour.
    public var sign: Int { self == .long ? 1 : -1 }
}

/// What is traded: shares, or option contracts (multiplier 100).
public enum AssetClass: String, Sendable, Hashable, Codable, CaseIterable {
    case equity
    case option

    /// Units of the underlying per quantity unit: 1 share, or 100 shares per contract.
    public var multiplier: Int { self == .equity ? 1 : 100 }
}
