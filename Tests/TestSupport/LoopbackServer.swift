import Hummingbird
import Logging
import NIOCore
import TradingEngine

/// Runs a fake's Hummingbird application on 127.0.0.1 at a free port: `start` returns once the port
/// is known, `stop` cancels the server and waits for it.
public final class LoopbackServer: Sendable {
    private let runtime = Shared<(port: Int, task: Task<Void, any Error>?)>((0, nil))

    public init() {}

    public var port: Int { runtime.withLock { $0.port } }

    /// The address every fake listens on.
    public static let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0))

    /// A logger that drops everything (the fakes are quiet).
    public static func quietLogger(_ label: String) -> Logger {
        Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
    }

    /// `make` builds the application, wiring the given `onServerRunning` callback.
    public func start<App: ApplicationProtocol>(
        _ make: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App
    ) async {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = make { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        let task = Task { try await app.run() }
        for await port in ports {
            runtime.withLock { $0 = (port, task) }
            break
        }
    }

    public func stop() async {
        let task = runtime.withLock { $0.task }
        task?.cancel()
        _ = try? await task?.value
    }
}
