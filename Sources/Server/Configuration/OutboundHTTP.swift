import AsyncHTTPClient
import NIOCore
import ServiceLifecycle

/// The one HTTP client every outside service's adapter uses (Polygon, Tradier, Discord, the
/// coach's model server), owned by the application and closed when it stops: no pooled
/// connection outlives the server (docs/architecture.md, "Wiring"). The process-wide
/// `HTTPClient.shared` keeps idle connections for ten minutes and is never shut down, so a
/// stopped app would leave sockets open to the services it used.
final class OutboundHTTP: Service {
    let client: HTTPClient

    init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        // Each adapter sets its own deadline per request (the coach's model may think for minutes).
        configuration.timeout = .init(connect: .seconds(10))
        // Idle keep-alive connections are dropped after a minute.
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
        configuration.decompression = .enabled(limit: .ratio(25))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs until the application shuts down, then closes every connection. The services that
    /// use the client stop before this one (they come after it in the service list).
    func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes the client (also after a failed start, when `run` never ran).
    func shutdown() async {
        try? await client.shutdown()
    }
}
