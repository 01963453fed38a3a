import Foundation
import Hummingbird
import NIOCore

/// Public files: the OpenAPI document and the dashboard (its page, scripts, style sheets, images).
/// Loaded once at start from the bundle; a missing resource is reported then, not per request.
/// With `TA_PUBLIC_DIR` (dashboard development) the files are read from that folder on every request,
/// so an edit shows on reload without a rebuild.
struct StaticController {
    let openAPI: ByteBuffer
    let publicURL: URL
    let live: Bool
    /// `/assets/{file}` serves only these files (loaded at start).
    let assets: [String: ByteBuffer]

    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    static let contentTypes = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "html": "text/html; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "json": "application/json; charset=utf-8",
        "webmanifest": "application/manifest+json",
    ]

    init(publicDirectory: String? = nil) throws {
        guard let openAPIURL = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let bundled = Bundle.module.url(forResource: "Public", withExtension: nil)
        else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "bundled resources are missing"])
        }
        openAPI = ByteBuffer(bytes: try Data(contentsOf: openAPIURL))
        live = publicDirectory != nil
        publicURL = publicDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? bundled
        var assets: [String: ByteBuffer] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: publicURL.path)
        for name in names where Self.isServable(name) {
            assets[name] = ByteBuffer(bytes: try Data(contentsOf: publicURL.appendingPathComponent(name)))
        }
        guard assets["index.html"] != nil else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "Public/index.html is missing"])
        }
        self.assets = assets
    }

    /// Plain file names with a known type; never a path.
    static func isServable(_ name: String) -> Bool {
        guard !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"),
              let ext = name.split(separator: ".").last.map(String.init) else { return false }
        return contentTypes[ext] != nil
    }

    func file(_ name: String) -> ByteBuffer? {
        guard assets[name] != nil else { return nil }
        if live, let data = try? Data(contentsOf: publicURL.appendingPathComponent(name)) { return ByteBuffer(bytes: data) }
        return assets[name]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: openAPI))
        }
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: Self.contentSecurityPolicy, .cacheControl: "no-store"],
                body: .init(byteBuffer: file("index.html") ?? ByteBuffer()))
        }
        // At the root, so the service worker's scope is the whole dashboard (docs/dashboard.md).
        for name in ["sw.js", "manifest.webmanifest"] {
            router.get(RouterPath(name)) { _, _ in
                guard let body = file(name), let type = name.split(separator: ".").last.flatMap({ Self.contentTypes[String($0)] })
                else { throw Problem.notFound("no file named '\(name)'") }
                return Response(
                    status: .ok, headers: [.contentType: type, .contentSecurityPolicy: Self.contentSecurityPolicy, .cacheControl: "no-cache"],
                    body: .init(byteBuffer: body))
            }
        }
        router.get("assets/:file") { _, context in
            let name = try context.parameters.require("file")
            guard name != "index.html", let body = file(name),
                  let type = name.split(separator: ".").last.flatMap({ Self.contentTypes[String($0)] })
            else { throw Problem.notFound("no asset named '\(name)'") }
            return Response(
                status: .ok,
                headers: [.contentType: type, .contentSecurityPolicy: Self.contentSecurityPolicy, .cacheControl: "no-cache"],
                body: .init(byteBuffer: body))
        }
    }
}
