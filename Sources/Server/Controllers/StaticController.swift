import Foundation
import Hummingbird
import NIOCore

/// Public files served from the bundle: the OpenAPI document and the dashboard.
struct StaticController {
    /// Loaded once at start; a missing resource is a build error, reported then, not per request.
    let openAPI: ByteBuffer
    let dashboardIndex: ByteBuffer

    init() throws {
        guard let openAPIURL = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let publicURL = Bundle.module.url(forResource: "Public", withExtension: nil)
        else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "bundled resources are missing"])
        }
        openAPI = ByteBuffer(bytes: try Data(contentsOf: openAPIURL))
        dashboardIndex = ByteBuffer(bytes: try Data(contentsOf: publicURL.appendingPathComponent("index.html")))
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: openAPI))
        }
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: dashboardIndex))
        }
    }
}
