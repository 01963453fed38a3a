import Foundation
import Hummingbird
import NIOCore

/// Public files served from the bundle: the OpenAPI document and the dashboard (its page, script
/// and style sheet). Loaded once at start; a missing resource is reported then, not per request.
struct StaticController {
    let openAPI: ByteBuffer
    let dashboard: ByteBuffer
    /// `/assets/{file}`: only these files, with their content types.
    let assets: [String: (type: String, body: ByteBuffer)]

    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"

    init() throws {
        guard let openAPIURL = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let publicURL = Bundle.module.url(forResource: "Public", withExtension: nil)
        else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "bundled resources are missing"])
        }
        func load(_ name: String) throws -> ByteBuffer {
            ByteBuffer(bytes: try Data(contentsOf: publicURL.appendingPathComponent(name)))
        }
        openAPI = ByteBuffer(bytes: try Data(contentsOf: openAPIURL))
        dashboard = try load("index.html")
        assets = [
            "app.js": ("text/javascript; charset=utf-8", try load("app.js")),
            "style.css": ("text/css; charset=utf-8", try load("style.css")),
        ]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: openAPI))
        }
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: Self.contentSecurityPolicy, .cacheControl: "no-store"],
                body: .init(byteBuffer: dashboard))
        }
        router.get("assets/:file") { _, context in
            let name = try context.parameters.require("file")
            guard let asset = assets[name] else { throw Problem.notFound("no asset named '\(name)'") }
            return Response(
                status: .ok,
                headers: [.contentType: asset.type, .contentSecurityPolicy: Self.contentSecurityPolicy, .cacheControl: "no-cache"],
                body: .init(byteBuffer: asset.body))
        }
    }
}
