import Foundation
import TradingDomain
import Synchronization

/// Something the server tells connected clients (the WebSocket `type` is the topic's event name).
public enum ServerEvent: Sendable {
    /// Quotes changed, one per symbol, from one batch of market events (topic `prices`, type `price`).
    case prices([Quote])
    /// Feed connection or staleness changed, or the market session did (topic `status`, type `status`).
    case status(StatusNotice)
    /// An alert fired and its firing is stored (topic `alerts`, type `alert`).
    case alert(AlertFiring)
    /// One of our orders changed (topic `orders`, type `order`).
    case order(OrderRecord)
    /// An execution was journaled (topic `orders`, type `fill`).
    case fill(Fill)
    /// A position changed after a fill (topic `orders`, type `position`).
    case position(PositionChange)
    /// The risk report, periodically and on change (topic `risk`, type `risk`).
    case risk(RiskReport)
    /// A risk limit was breached: one per episode (topic `alerts`, type `alert` with `type: risk`).
    case riskFiring(RiskFiring)

    public var topic: String {
        switch self {
        case .prices: "prices"
        case .status: "status"
        case .alert, .riskFiring: "alerts"
        case .order, .fill, .position: "orders"
        case .risk: "risk"
        }
    }
}

/// A position after a fill; `position` is nil when it is now flat.
public struct PositionChange: Sendable, Hashable {
    public var symbol: Symbol
    public var position: BrokerPosition?
    public var time: Date

    public init(symbol: Symbol, position: BrokerPosition?, time: Date) {
        self.symbol = symbol
        self.position = position
        self.time = time
    }
}

/// A change of connection, data or market state the user should see.
public struct StatusNotice: Sendable, Hashable {
    public var kind: String
    public var feed: FeedStatus?
    public var staleSymbols: [Symbol]
    public var message: String
    /// The market's session and next open/close (kind `session`, and the greeting of a new client).
    public var market: MarketStatus?

    public init(kind: String, feed: FeedStatus? = nil, staleSymbols: [Symbol] = [], message: String, market: MarketStatus? = nil) {
        self.kind = kind
        self.feed = feed
        self.staleSymbols = staleSymbols
        self.message = message
        self.market = market
    }
}

/// Fan-out of server events to subscribers (the WebSocket hub, later notifiers).
/// `publish` calls every handler synchronously; handlers must only hand the event off (enqueue),
/// never wait, so one slow consumer cannot slow the publisher or the others.
public final class EventBus: Sendable {
    public typealias Handler = @Sendable (ServerEvent) -> Void

    private let handlers = Mutex<[UUID: Handler]>([:])

    public init() {}

    /// Returns a token for `unsubscribe`.
    @discardableResult
    public func subscribe(_ handler: @escaping Handler) -> UUID {
        let id = UUID()
        handlers.withLock { $0[id] = handler }
        return id
    }

    public func unsubscribe(_ id: UUID) {
        handlers.withLock { $0[id] = nil }
    }

    public func publish(_ event: ServerEvent) {
        let current = handlers.withLock { Array($0.values) }
        for handler in current { handler(event) }
    }
}
