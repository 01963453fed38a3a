import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TradingDomain
import TradingEngine
import Synchronization

/// Turns every failure into `application/problem+json`: our own `Problem`s, validation failures,
/// Hummingbird's HTTP errors (404, 413, …), and anything unexpected (500, logged with the request
/// id, no internals in the answer). An unknown path is 404; a known path with another method is
/// 405 with `Allow`.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let routes: RouteTable
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        do {
            let response = try await next(request, context)
            // Our own error answers carry a body (problem+json, or /ready's 503 with its checks);
            // a bare error status from a framework part becomes a problem too.
            guard response.status.code >= 400, response.headers[.contentType] == nil else {
                return response
            }
            if response.status == .notFound, context.coreContext.endpointPath.value == "NotFound" {
                return unmatched(request).response(requestID: context.requestID, path: path)
            }
            return generic(response.status).response(requestID: context.requestID, path: path)
        } catch let problem as Problem {
            return problem.response(requestID: context.requestID, path: path)
        } catch let failure as ValidationFailure {
            return Problem.validation(failure).response(requestID: context.requestID, path: path)
        } catch let error as HTTPError {
            // The router's "no route" answer arrives here as a thrown 404 marked on the context.
            if error.status == .notFound, context.coreContext.endpointPath.value == "NotFound" {
                return unmatched(request).response(requestID: context.requestID, path: path)
            }
            return generic(error.status, detail: error.body).response(requestID: context.requestID, path: path)
        } catch is ConcurrentUpdateError {
            return Problem(.conflict, code: "concurrent_update", detail: "the resource changed while updating it; try again")
                .response(requestID: context.requestID, path: path)
        } catch {
            logger.error("unhandled error", metadata: [
                "request_id": .string(context.requestID), "path": .string(path), "error": .string("\(error)"),
            ])
            return Problem(
                .internalServerError, code: "internal_error",
                detail: "an unexpected error occurred; it was logged with request id \(context.requestID)")
                .response(requestID: context.requestID, path: path)
        }
    }

    private func unmatched(_ request: Request) -> Problem {
        let allowed = routes.methods(forPath: request.uri.path)
        if allowed.isEmpty || allowed.contains(request.method) {
            return .notFound("no route for \(request.method.rawValue) \(request.uri.path)")
        }
        var problem = Problem(
            .methodNotAllowed, code: "method_not_allowed",
            detail: "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: "
                + allowed.map(\.rawValue).joined(separator: ", "))
        problem.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return problem
    }

    private func generic(_ status: HTTPResponse.Status, detail: String? = nil) -> Problem {
        switch status {
        case .contentTooLarge:
            return Problem(status, code: "body_too_large", detail: detail ?? "the request body is larger than the limit")
        case .notFound:
            return .notFound(detail ?? "not found")
        default:
            return Problem(status, code: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                           detail: detail ?? status.reasonPhrase)
        }
    }
}

/// The registered routes as (method, path pattern), for 405 answers and the OpenAPI check.
/// Filled once, after every route is registered (middleware is created before the routes).
public final class RouteTable: Sendable {
    public struct Entry: Sendable, Hashable {
        public var method: HTTPRequest.Method
        /// Path with `{name}` captures, e.g. `/api/v1/journal/{id}`.
        public var path: String
    }

    private let storage = Mutex<[Entry]>([])

    public init() {}

    public var entries: [Entry] { storage.withLock { $0 } }

    func record(_ router: Router<AppRequestContext>) {
        let entries = router.routes.map { Entry(method: $0.method, path: $0.path.description) }
        storage.withLock { $0 = entries }
    }

    public func methods(forPath path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return entries.filter { entry in
            let pattern = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == parts.count else { return false }
            return zip(pattern, parts).allSatisfy { p, actual in p.hasPrefix("{") || p == actual }
        }.map(\.method)
    }
}
