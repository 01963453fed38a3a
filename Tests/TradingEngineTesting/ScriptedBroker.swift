import Foundation
import ServiceLifecycle
import Synchronization
import TradingDomain
import TradingEngine

/// A broker the test scripts: it keeps an order book keyed by our client order id (the tag), fills
/// only when told, and answers each placement as scripted (accepted, refused, failed before it was
/// sent, or accepted with the answer lost). Updates are returned by the helpers, for the test to
/// hand to the order desk, so nothing depends on timing.
public final class ScriptedBroker: BrokerPort, Sendable {
    /// How the next placement is answered.
    public enum Answer: Sendable {
        case accept
        case reject(String)
        /// Nothing reached the broker (e.g. a 503): the error is thrown, no order exists.
        case failBeforeSending(BrokerError)
        /// The order is stored at the broker, but the caller sees `.outcomeUnknown`.
        case acceptAndLoseAnswer
        /// The caller sees `.outcomeUnknown`; the order appears only when `release` is called.
        case holdAndLoseAnswer
    }

    struct State {
        var account: BrokerAccount
        var positions: [Symbol: BrokerPosition] = [:]
        var orders: [String: BrokerOrder] = [:]
        var held: [String: BrokerOrder] = [:]
        var answers: [Answer] = []
        var placements: [String] = []
        var nextID = 0
        var prices: [Symbol: Decimal] = [:]
        var failReads: BrokerError?
    }

    public let name = "scripted"
    public let environment = "paper"
    let state: Mutex<State>
    let clock: any WallClock
    let stream: AsyncStream<BrokerUpdate>
    let continuation: AsyncStream<BrokerUpdate>.Continuation

    public init(equity: Decimal = 100_000, clock: any WallClock) {
        self.clock = clock
        state = Mutex(State(account: BrokerAccount(
            broker: "scripted", accountNumber: "S-1", equity: equity, cash: equity, buyingPower: equity,
            longMarketValue: 0, shortMarketValue: 0, asOf: clock.now())))
        (stream, continuation) = AsyncStream.makeStream(of: BrokerUpdate.self)
    }

    // MARK: scripting

    public func answerNext(_ answers: Answer...) { state.withLock { $0.answers += answers } }
    public func setPrice(_ symbol: String, _ price: Decimal) { state.withLock { $0.prices[Symbol(trusted: symbol)] = price } }
    public func setPosition(_ symbol: String, quantity: Decimal, averagePrice: Decimal, openedAt: Date? = nil) {
        state.withLock {
            $0.positions[Symbol(trusted: symbol)] = BrokerPosition(
                symbol: Symbol(trusted: symbol), quantity: quantity, averagePrice: averagePrice, openedAt: openedAt)
        }
    }
    /// An order placed at the broker outside our order desk (its own site), already filled.
    public func addForeignFill(_ clientOrderID: String, _ request: OrderRequest, at price: Decimal) {
        let now = clock.now()
        state.withLock {
            $0.orders[clientOrderID] = BrokerOrder(
                clientOrderID: clientOrderID, brokerOrderID: clientOrderID, request: request, status: .filled,
                filledQuantity: request.quantity, averageFillPrice: price, createdAt: now, updatedAt: now)
        }
    }
    /// Reads (account, positions, orders, lookups) fail with `error` until set to nil.
    public func failReads(_ error: BrokerError?) { state.withLock { $0.failReads = error } }
    /// Client order ids of every placement that reached the broker, in order.
    public var placements: [String] { state.withLock { $0.placements } }
    public var book: [BrokerOrder] { state.withLock { Array($0.orders.values) }.sorted { $0.createdAt < $1.createdAt } }
    public func order(tag: String) -> BrokerOrder? { state.withLock { $0.orders[tag] } }

    /// A held placement reaches the broker now.
    public func release(_ clientOrderID: String) {
        state.withLock { state in
            if let order = state.held.removeValue(forKey: clientOrderID) {
                state.orders[clientOrderID] = order
                state.placements.append(clientOrderID)
            }
        }
    }

    /// Fills `quantity` (all that is left by default) at `price`; returns the updates the broker
    /// would send (the order's new state, then the fill).
    @discardableResult
    public func fill(_ clientOrderID: String, at price: Decimal, quantity: Decimal? = nil, commission: Decimal = 0) -> [BrokerUpdate] {
        let now = clock.now()
        return state.withLock { state -> [BrokerUpdate] in
            guard var order = state.orders[clientOrderID], !order.status.isFinal else { return [] }
            let amount = min(quantity ?? order.remainingQuantity, order.remainingQuantity)
            let before = order.filledQuantity
            order.filledQuantity += amount
            order.averageFillPrice = ((order.averageFillPrice ?? 0) * before + price * amount) / order.filledQuantity
            order.status = order.remainingQuantity == 0 ? .filled : .partiallyFilled
            order.updatedAt = now
            state.orders[clientOrderID] = order
            let symbol = order.request.symbol
            var position = state.positions[symbol] ?? BrokerPosition(symbol: symbol, quantity: 0, averagePrice: price)
            let signed = amount * Decimal(order.request.action.sign)
            if position.quantity == 0 || (position.quantity > 0) == (signed > 0) {
                let total = abs(position.quantity) + amount
                position.averagePrice = (position.averagePrice * abs(position.quantity) + price * amount) / total
            }
            position.quantity += signed
            state.positions[symbol] = position.quantity == 0 ? nil : position
            let multiplier = Decimal(order.request.assetClass.multiplier)
            state.account.cash -= signed * price * multiplier + commission
            let fill = Fill(id: "\(clientOrderID)#\(order.filledQuantity)", clientOrderID: clientOrderID, symbol: symbol,
                            action: order.request.action, quantity: amount, price: price, commission: commission, time: now)
            return [.order(order), .fill(fill)]
        }
    }

    /// Moves an order to a final state at the broker (expired, canceled, rejected).
    @discardableResult
    public func finish(_ clientOrderID: String, _ status: OrderStatus, reason: String? = nil) -> [BrokerUpdate] {
        state.withLock { state -> [BrokerUpdate] in
            guard var order = state.orders[clientOrderID] else { return [] }
            order.status = status
            order.reason = reason
            state.orders[clientOrderID] = order
            return [.order(order)]
        }
    }

    // MARK: BrokerPort

    func checkReads() throws(BrokerError) {
        if let error = state.withLock({ $0.failReads }) { throw error }
    }

    public func account() async throws(BrokerError) -> BrokerAccount {
        try checkReads()
        return state.withLock { state in
            var account = state.account
            let value = state.positions.values.reduce(Decimal(0)) { total, position in
                total + position.quantity * (state.prices[position.symbol] ?? position.averagePrice) * Decimal(position.assetClass.multiplier)
            }
            account.equity = account.cash + value
            account.buyingPower = account.cash
            account.longMarketValue = max(0, value)
            return account
        }
    }

    public func positions() async throws(BrokerError) -> [BrokerPosition] {
        try checkReads()
        return state.withLock { Array($0.positions.values) }.sorted { $0.symbol < $1.symbol }
    }

    public func orders() async throws(BrokerError) -> [BrokerOrder] {
        try checkReads()
        return book
    }

    public func order(clientOrderID: String) async throws(BrokerError) -> BrokerOrder? {
        try checkReads()
        return state.withLock { $0.orders[clientOrderID] }
    }

    public func preview(_ request: OrderRequest) async throws(BrokerError) -> OrderPreview {
        // No estimate for a market order in a symbol the broker has no price for.
        let price = request.limitPrice ?? request.stopPrice ?? state.withLock { $0.prices[request.symbol] }
        return OrderPreview(estimatedPrice: price, estimatedCost: request.units * (price ?? 0), commission: 0)
    }

    public func place(_ request: OrderRequest, clientOrderID: String) async throws(BrokerError) -> String {
        let now = clock.now()
        let answer: Answer = state.withLock { $0.answers.isEmpty ? .accept : $0.answers.removeFirst() }
        if case .failBeforeSending(let error) = answer { throw error }
        if case .reject(let reason) = answer {
            state.withLock { $0.placements.append(clientOrderID) }
            throw .rejected(code: "scripted", reason: reason)
        }
        let id = state.withLock { state -> String in
            state.nextID += 1
            return "B-\(state.nextID)"
        }
        let order = BrokerOrder(clientOrderID: clientOrderID, brokerOrderID: id, request: request, status: .open, createdAt: now, updatedAt: now)
        switch answer {
        case .holdAndLoseAnswer:
            state.withLock { $0.held[clientOrderID] = order }
            throw .outcomeUnknown("scripted: the answer was lost")
        case .acceptAndLoseAnswer:
            state.withLock { state in
                state.orders[clientOrderID] = order
                state.placements.append(clientOrderID)
            }
            throw .outcomeUnknown("scripted: the answer was lost")
        default:
            state.withLock { state in
                state.orders[clientOrderID] = order
                state.placements.append(clientOrderID)
            }
            return id
        }
    }

    public func cancel(brokerOrderID: String) async throws(BrokerError) {
        let update = state.withLock { state -> BrokerOrder? in
            guard let key = state.orders.first(where: { $0.value.brokerOrderID == brokerOrderID })?.key,
                  var order = state.orders[key], !order.status.isFinal else { return nil }
            order.status = .canceled
            state.orders[key] = order
            return order
        }
        if let update { continuation.yield(.order(update)) }
    }

    public func modify(brokerOrderID: String, _ change: OrderChange) async throws(BrokerError) {
        throw .rejected(code: "scripted", reason: "modify is not scripted")
    }

    public func updates() -> AsyncStream<BrokerUpdate> { stream }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
        continuation.finish()
    }
}
