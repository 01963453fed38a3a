import APIInput
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TradingDomain

/// Why a model backend could not answer. The message is safe to show: it never contains the API key.
public enum CoachBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting is missing or unusable (base URL, model, chatbot id).
    case misconfigured(String)
    /// The service could not be reached or did not answer in time.
    case unreachable(backend: String, detail: String)
    /// The service answered with an error (HTTP status when known, and its message).
    case service(backend: String, status: Int?, message: String)
    /// The answer could not be read.
    case malformed(backend: String, detail: String)

    public var description: String {
        switch self {
        case .misconfigured(let detail): "coach backend misconfigured: \(detail)"
        case .unreachable(let backend, let detail): "\(backend) could not be reached: \(detail)"
        case .service(let backend, let status, let message):
            "\(backend) answered with an error\(status.map { " (HTTP \($0))" } ?? ""): \(message)"
        case .malformed(let backend, let detail): "\(backend) sent an answer that could not be read: \(detail)"
        }
    }
}

/// POSTs JSON and returns status and body; shared by the Chat Data and OpenAI-compatible backends.
struct CoachHTTP: Sendable {
    let backend: String
    let http: HTTPClient
    let timeout: TimeAmount
    let maxBodyBytes = 8 << 20

    func post(_ url: String, body: JSONValue, bearer: String?) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/plain")
        if let bearer, !bearer.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.body = .bytes(ByteBuffer(string: CoachWire.text(body)))
        do {
            let response = try await http.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch {
            throw CoachBackendError.unreachable(backend: backend, detail: CoachHTTP.describe(error))
        }
    }

    /// A short description of a transport error (no request details, so no header can leak).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: type(of: error)) + ": " + "\(error)".prefix(200)
    }

    /// The message of an error body: `{"error":{"message"}}`, `{"error":"…"}`, `{"message"}`, `{"detail"}`, or the text itself.
    static func errorMessage(_ body: Data) -> String {
        if let json = CoachWire.parse(body)?.objectValue {
            if case .object(let error)? = json["error"], case .string(let message)? = error["message"] { return message }
            if case .string(let message)? = json["error"] { return message }
            if case .string(let message)? = json["message"] { return message }
            if case .string(let message)? = json["detail"] { return message }
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingWhitespace()
        return text.isEmpty ? "no details given" : text
    }

    /// Joins a base URL and a path with exactly one slash; throws when the base is not http(s).
    static func url(base: String, path: String, setting: String) throws -> String {
        var trimmed = base.trimmingWhitespace()
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw CoachBackendError.misconfigured("\(setting) '\(base)' is not an http(s) URL")
        }
        return trimmed + path
    }
}
