import Foundation
import Logging
import Simulation
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine

/// One contract, two brokers: the paper broker and the Tradier adapter pointed at its loopback
/// fake behave the same way through `BrokerPort` — orders keyed by our client order id, outcomes
/// as updates, cancel of a final order is fine, refusals are `.rejected` with the reason.
@Suite("Broker contract")
struct BrokerContractTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case paper
        case tradier
        var testDescription: String { rawValue }
    }

    /// A running broker plus what the test needs to make the market fill an order.
    final class Harness: Sendable {
        let broker: any BrokerPort
        let fake: TradierFake?
        let runner: Task<Void, Never>
        let updates = Shared<[BrokerUpdate]>([])
        let collector: Task<Void, Never>

        init(_ kind: Kind) async throws {
            let logger = Logger(label: "contract")
            switch kind {
            case .paper:
                fake = nil
                // The market's time: a regular session (Tuesday 10:00 New York), whenever the test runs.
                let time = TestMarketTime()
                let quote: @Sendable (Symbol) -> Quote? = { symbol in
                    var quote = Quote(symbol: symbol, asOf: time.now, receivedAt: time.now, source: "test")
                    (quote.bid, quote.ask, quote.last) = (100, Decimal(string: "100.02")!, Decimal(string: "100.01")!)
                    return quote
                }
                broker = PaperBroker(settings: PaperSettings(startingCash: 100_000), store: MemoryLedgerStore(),
                                     quotes: quote, clock: time.clock, logger: logger)
            case .tradier:
                let fake = TradierFake()
                try await fake.start()
                fake.setQuote("AAPL", last: Decimal(string: "100.01")!)
                fake.setCash(100_000)
                self.fake = fake
                broker = try TradierBroker(configuration: TradierConfiguration(
                    accessToken: TradierFake.validToken, accountID: TradierFake.defaultAccount, baseURL: fake.baseURL,
                    pollInterval: .milliseconds(100)), logger: logger)
            }
            let broker = self.broker
            runner = Task { try? await broker.run() }
            let updates = self.updates
            collector = Task { for await update in broker.updates() { updates.withLock { $0.append(update) } } }
        }

        /// Makes the market fill a working order (the paper broker fills market orders itself).
        func fill(brokerOrderID: String, price: Decimal) {
            if let fake, let id = Int(brokerOrderID) { fake.fillOrder(id: id, price: price) }
        }

        func order(_ clientOrderID: String) -> [BrokerOrder] {
            updates.withLock { $0.compactMap { if case .order(let order) = $0, order.clientOrderID == clientOrderID { order } else { nil } } }
        }

        func fills(_ clientOrderID: String) -> [Fill] {
            updates.withLock { $0.compactMap { if case .fill(let fill) = $0, fill.clientOrderID == clientOrderID { fill } else { nil } } }
        }

        func stop() async {
            runner.cancel()
            collector.cancel()
            await fake?.stop()
        }
    }


    static let aapl = Symbol(trusted: "AAPL")
    static func id() -> String { UUID().uuidString.lowercased() }

    @Test("account, preview and a working limit order found by our client order id", arguments: Kind.allCases)
    func workingOrder(kind: Kind) async throws {
        let harness = try await Harness(kind)
        let account = try await harness.broker.account()
        #expect(account.equity > 0)
        #expect(account.buyingPower > 0)
        let request = OrderRequest(symbol: Self.aapl, action: .buy, quantity: 5, type: .limit, duration: .gtc, limitPrice: 50)
        let preview = try await harness.broker.preview(request)
        #expect(preview.estimatedCost > 0)
        let clientID = Self.id()
        let brokerID = try await harness.broker.place(request, clientOrderID: clientID)
        #expect(!brokerID.isEmpty)
        let found = try #require(try await harness.broker.order(clientOrderID: clientID))
        #expect(found.brokerOrderID == brokerID)
        #expect(found.request.quantity == 5)
        #expect(!found.status.isFinal)
        #expect(try await harness.broker.order(clientOrderID: Self.id()) == nil, "an id the broker never got")
        #expect(try await harness.broker.orders().contains { $0.clientOrderID == clientID })
        #expect(await eventually { harness.order(clientID).contains { $0.status == .open } })
        await harness.stop()
    }

    @Test("a filled order reports its fill once and shows up in positions", arguments: Kind.allCases)
    func fill(kind: Kind) async throws {
        let harness = try await Harness(kind)
        let clientID = Self.id()
        let brokerID = try await harness.broker.place(
            OrderRequest(symbol: Self.aapl, action: .buy, quantity: 3, type: .market), clientOrderID: clientID)
        harness.fill(brokerOrderID: brokerID, price: Decimal(string: "100.02")!)
        #expect(await eventually { harness.order(clientID).contains { $0.status == .filled } })
        #expect(await eventually { !harness.fills(clientID).isEmpty })
        let fills = harness.fills(clientID)
        #expect(fills.reduce(Decimal(0)) { $0 + $1.quantity } == 3)
        #expect(Set(fills.map(\.id)).count == fills.count, "fill ids are unique")
        let positions = try await harness.broker.positions()
        #expect(positions.first { $0.symbol == Self.aapl }?.quantity == 3)
        await harness.stop()
    }

    @Test("cancel moves a working order to canceled; cancelling a final order is not an error", arguments: Kind.allCases)
    func cancel(kind: Kind) async throws {
        let harness = try await Harness(kind)
        let clientID = Self.id()
        let brokerID = try await harness.broker.place(
            OrderRequest(symbol: Self.aapl, action: .buy, quantity: 2, type: .limit, limitPrice: 10), clientOrderID: clientID)
        try await harness.broker.cancel(brokerOrderID: brokerID)
        #expect(await eventually { harness.order(clientID).contains { $0.status == .canceled } })
        try await harness.broker.cancel(brokerOrderID: brokerID)
        await harness.stop()
    }

    @Test("a refused order is .rejected with the broker's reason", arguments: Kind.allCases)
    func rejected(kind: Kind) async throws {
        let harness = try await Harness(kind)
        harness.fake?.failNextOrder(errors: ["DayTradingBuyingPowerExceeded"])
        // Paper: selling shares that are not held. Tradier fake: the scripted refusal.
        let request = OrderRequest(symbol: Self.aapl, action: .sell, quantity: 1_000, type: .market)
        do {
            _ = try await harness.broker.place(request, clientOrderID: Self.id())
            Issue.record("the order was accepted")
        } catch {
            guard case .rejected(_, let reason) = error else {
                Issue.record("expected .rejected, got \(error)")
                await harness.stop()
                return
            }
            #expect(!reason.isEmpty)
        }
        await harness.stop()
    }
}

/// The paper ledger kept in memory (the server keeps it in the database).
final class MemoryLedgerStore: PaperLedgerStore {
    let document = Shared<Data?>(nil)
    func loadPaperLedger() async throws -> Data? { document.withLock { $0 } }
    func savePaperLedger(_ data: Data) async throws { document.withLock { $0 = data } }
}
