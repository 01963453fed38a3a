import Foundation
import Testing
import TestSupport
import Tradier
import TradingDomain
import TradingEngine

/// Recorded vendor responses copied from `shared/contracts/fixtures/tradier/`.
enum TradierFixtures {
    static let all = [
        "balances-margin.json", "cancel-or-modify-order.json", "clock.json", "errors-array.json", "errors-single-string.json",
        "fault-token-expired.json", "orders-empty-json-null.json", "orders-empty-null-string.json", "orders-list.json",
        "orders-single-object.json", "place-order.json", "positions-empty-null-string.json", "positions-list.json",
        "positions-single-object.json", "preview-order.json", "profile-single-account.json", "quotes-all-unmatched.json",
        "quotes-single-premarket-null-ohlc.json",
    ]

    static func data(_ name: String) throws -> Data {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try Data(contentsOf: root.appendingPathComponent(name))
    }
}

/// An exact Decimal from its decimal text (a Swift float literal would go through Double).
func dec(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan
}

func body(_ text: String) -> Data { Data(text.utf8) }


/// Collects a broker's updates in the background.
final class UpdateCollector: Sendable {
    let updates = Shared<[BrokerUpdate]>([])
    let task: Task<Void, Never>

    init(_ broker: TradierBroker) {
        let updates = self.updates
        task = Task {
            for await update in broker.updates() { updates.withLock { $0.append(update) } }
        }
    }

    var orders: [BrokerOrder] {
        updates.withLock { $0.compactMap { if case .order(let order) = $0 { order } else { nil } } }
    }

    var fills: [Fill] {
        updates.withLock { $0.compactMap { if case .fill(let fill) = $0 { fill } else { nil } } }
    }

    func waitForOrder(_ clientOrderID: String, status: OrderStatus) async -> BrokerOrder? {
        _ = await eventually { orders.contains { $0.clientOrderID == clientOrderID && $0.status == status } }
        return orders.last { $0.clientOrderID == clientOrderID && $0.status == status }
    }
}

/// A started fake and a broker pointed at it; `run()` polls in the background when `polling`.
struct TradierHarness {
    let fake: TradierFake
    let broker: TradierBroker
    let collector: UpdateCollector
    let runner: Task<Void, any Error>?

    static func start(
        token: String = TradierFake.validToken, polling: Bool = true, pollInterval: Duration = .milliseconds(50),
        retry: TradierRetryPolicy = TradierRetryPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(100)),
        configure: (inout TradierFake.Settings) -> Void = { _ in }
    ) async throws -> TradierHarness {
        let fake = TradierFake()
        configure(&fake.settings)
        try await fake.start()
        let configuration = TradierConfiguration(
            accessToken: token, accountID: TradierFake.defaultAccount, environment: .sandbox, baseURL: fake.baseURL,
            pollInterval: pollInterval, requestTimeout: .seconds(5), retry: retry)
        let broker = try TradierBroker(configuration: configuration)
        let collector = UpdateCollector(broker)
        let runner: Task<Void, any Error>? = polling ? Task { try await broker.run() } : nil
        return TradierHarness(fake: fake, broker: broker, collector: collector, runner: runner)
    }

    func stop() async {
        runner?.cancel()
        _ = await runner?.result
        collector.task.cancel()
        await fake.stop()
    }

    func requests(_ method: String, suffix: String) -> [TradierFakeRequest] {
        fake.requests.filter { $0.method == method && $0.path.hasSuffix(suffix) }
    }
}

extension TradierFake.Settings {
    // Convenience so `configure` closures read well.
    mutating func limitStandard(_ perWindow: Int, window: Duration) {
        standardPerMinute = perWindow
        rateLimitWindow = window
    }
}

/// Order requests used across the tests.
enum Orders {
    static func limitBuy(_ symbol: String = "AAPL", quantity: Decimal = 10, price: String = "187.25") -> OrderRequest {
        OrderRequest(symbol: Symbol(trusted: symbol), action: .buy, quantity: quantity, type: .limit, limitPrice: dec(price), planID: UUID(), bracketRole: .entry)
    }

    static func optionBuy() -> OrderRequest {
        OrderRequest(symbol: Symbol(trusted: "SPY140118C00195000"), action: .buyToOpen, quantity: 2, type: .market)
    }
}
