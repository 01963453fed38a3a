import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// Per-request state: Hummingbird's core storage plus our request id and body size limit
/// (both set by `RequestLogMiddleware`, the first middleware of every request).
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Echoed in `X-Request-Id` and in every log line of the request.
    public var requestID: String = ""
    public var maxUploadSize: Int = 1_048_576
    /// Where a WebSocket route leaves its handler for the upgrade (`GET /api/v1/ws`).
    public let webSocket = WebSocketHandlerReference<AppRequestContext>()
    /// The peer's IP address (`unknown` when the transport has none), for per-address limits.
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
