import Hummingbird
import Logging
import NIOCore

/// Per-request state: Hummingbird's core storage plus our request id and body size limit
/// (both set by `RequestLogMiddleware`, the first middleware of every request).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Echoed in `X-Request-Id` and in every log line of the request.
    public var requestID: String = ""
    public var maxUploadSize: Int = 1_048_576

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
