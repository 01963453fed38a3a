import Foundation
import ServiceLifecycle
import TradingDomain

/// What went wrong talking to a broker, sorted by what the caller should do about it.
public enum BrokerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broker refused the order or request; `reason` is its message, `code` ours or its code.
    case rejected(code: String, reason: String)
    /// The broker cannot be reached or answered with a server error: try again later (HTTP 503).
    case unavailable(String)
    /// Credentials were refused or expired: fix the configuration.
    case unauthorized(String)
    /// Too many requests; wait at least this long.
    case rateLimited(retryAfter: TimeInterval?)
    /// No such order at the broker.
    case notFound(String)
    /// The answer could not be understood.
    case malformed(String)
    /// A request that changes orders may or may not have reached the broker (timeout, dropped
    /// connection, a gateway error after the request was sent). Never retried blindly: the order
    /// is looked up by our client order id (the broker's tag) to learn what happened.
    case outcomeUnknown(String)

    public var description: String {
        switch self {
        case .rejected(let code, let reason): "rejected (\(code)): \(reason)"
        case .unavailable(let detail): "broker unavailable: \(detail)"
        case .unauthorized(let detail): "broker refused the credentials: \(detail)"
        case .rateLimited(let after): "broker rate limit reached" + (after.map { ", retry after \(Int($0.rounded(.up))) s" } ?? "")
        case .notFound(let detail): "not found at the broker: \(detail)"
        case .malformed(let detail): "unexpected broker answer: \(detail)"
        case .outcomeUnknown(let detail): "the broker's answer was lost, so the outcome is unknown: \(detail)"
        }
    }

    /// True when the request certainly did not take effect at the broker (it answered and
    /// refused, or it was refused before it was sent): safe to send again later.
    public var provesNotPlaced: Bool {
        switch self {
        case .rejected, .unavailable, .unauthorized, .rateLimited, .notFound: true
        case .malformed, .outcomeUnknown: false
        }
    }
}

/// Something that changed at the broker, keyed by our client order id.
public enum BrokerUpdate: Sendable, Hashable {
    /// An order's status, filled quantity or broker id changed.
    case order(BrokerOrder)
    /// An execution. Delivered at least once; `Fill.id` is stable so a repeat can be ignored.
    case fill(Fill)
}

/// A brokerage account (paper or real). Calls that change orders only send the request; outcomes
/// (accepted, filled, rejected later, expired) arrive through `updates` keyed by our client order id.
/// It runs as a `Service`: `run` does its background work (paper matching, Tradier polling or the
/// account stream) until graceful shutdown.
public protocol BrokerPort: Service {
    /// `paper` or `tradier`.
    var name: String { get }
    /// `paper`, `sandbox` or `live`.
    var environment: String { get }

    func account() async throws(BrokerError) -> BrokerAccount
    func positions() async throws(BrokerError) -> [BrokerPosition]
    /// Orders the broker knows about today plus any still working (gtc), with our client order id
    /// where the broker carries it.
    func orders() async throws(BrokerError) -> [BrokerOrder]
    /// Looks an order up by our client order id (the broker's tag); nil if the broker never got it.
    func order(clientOrderID: String) async throws(BrokerError) -> BrokerOrder?
    /// Dry run: cost, commission and the broker's warnings. Throws `.rejected` when the broker would refuse.
    func preview(_ request: OrderRequest) async throws(BrokerError) -> OrderPreview
    /// Sends the order tagged with `clientOrderID`; returns the broker's order id. Never retried
    /// automatically: a timeout leaves the outcome unknown until reconciliation looks it up by tag.
    func place(_ request: OrderRequest, clientOrderID: String) async throws(BrokerError) -> String
    /// Asks the broker to cancel. Cancelling an order that is already final is not an error.
    func cancel(brokerOrderID: String) async throws(BrokerError)
    /// Changes the prices (and/or type or duration) of a working order; quantity cannot change.
    func modify(brokerOrderID: String, _ change: OrderChange) async throws(BrokerError)
    /// Order and fill updates, for as long as the broker runs. One consumer.
    func updates() -> AsyncStream<BrokerUpdate>
}

/// What a modify may change. Nil fields stay as they are.
public struct OrderChange: Sendable, Hashable {
    public var type: OrderType?
    public var duration: OrderDuration?
    public var limitPrice: Decimal?
    public var stopPrice: Decimal?

    public init(type: OrderType? = nil, duration: OrderDuration? = nil, limitPrice: Decimal? = nil, stopPrice: Decimal? = nil) {
        self.type = type
        self.duration = duration
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
    }
}

/// Durable storage of the paper broker's own books (orders, fills, positions, cash), kept apart
/// from our order desk's records the way a real broker's are: one JSON document, replaced atomically.
public protocol PaperLedgerStore: Sendable {
    func loadPaperLedger() async throws -> Data?
    func savePaperLedger(_ document: Data) async throws
}
