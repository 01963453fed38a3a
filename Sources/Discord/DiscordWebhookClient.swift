import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import TradingDomain
import TradingEngine

/// Discord's answer to one webhook call, classified.
public struct DiscordSendResult: Sendable, Hashable {
    /// HTTP status, nil when no answer came (timeout, connection refused).
    public var status: Int?
    public var outcome: DiscordDeliveryOutcome
    public var rateLimit: DiscordRateLimitHeaders

    public init(status: Int?, outcome: DiscordDeliveryOutcome, rateLimit: DiscordRateLimitHeaders) {
        self.status = status
        self.outcome = outcome
        self.rateLimit = rateLimit
    }
}

/// Posts one webhook body to Discord (`DiscordWebhookClient`; a test can stand in).
public protocol DiscordSender: Sendable {
    /// `webhookURL` is a validated Discord webhook URL; `body` the JSON message.
    func send(webhookURL: String, body: Data) async -> DiscordSendResult
}

/// Posts messages to Discord webhooks over HTTPS and classifies the answer (docs/vendors.md
/// §3). The webhook token is part of the URL: it is never logged.
///
/// `apiBase` (tests only, from `TA_DISCORD_API_BASE`) replaces the scheme and host of the validated
/// webhook URL, so delivery can be pointed at a loopback fake; the path stays as validated.
public struct DiscordWebhookClient: DiscordSender {
    let http: HTTPClient
    let apiBase: String?
    let timeout: TimeAmount
    let logger: Logger

    public init(apiBase: String? = nil, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(10), logger: Logger) {
        self.apiBase = apiBase.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.http = http
        self.timeout = timeout
        self.logger = logger
    }

    /// Where a validated webhook URL is delivered: itself, or the same path on `apiBase`, with
    /// `wait=true` so Discord answers with the created message (and its id).
    func target(for webhookURL: String) -> String? {
        guard let components = URLComponents(string: webhookURL), components.host != nil else { return nil }
        let base = apiBase ?? "https://\(components.host ?? "discord.com")"
        return base + components.percentEncodedPath + "?wait=true"
    }

    public func send(webhookURL: String, body: Data) async -> DiscordSendResult {
        guard let url = target(for: webhookURL) else {
            return DiscordSendResult(status: nil, outcome: .rejected(reason: "the webhook URL is not valid"), rateLimit: DiscordRateLimitHeaders(headers: [:]))
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "TradingAssistant (self-hosted, 1.0)")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            let status = Int(response.status.code)
            return DiscordSendResult(
                status: status,
                outcome: DiscordDelivery.classify(status: status, headers: headers, body: Data(bytes.readableBytesView)),
                rateLimit: DiscordRateLimitHeaders(headers: headers)
            )
        } catch {
            // Say what failed without the URL (it holds the token).
            let reason = (error as? HTTPClientError).map { "network error: \($0.shortDescription)" } ?? "network error: \(type(of: error))"
            return DiscordSendResult(status: nil, outcome: .retry(reason: reason), rateLimit: DiscordRateLimitHeaders(headers: [:]))
        }
    }
}

extension HTTPClientError {
    /// A description that never contains the request URL.
    var shortDescription: String {
        switch self {
        case .readTimeout, .deadlineExceeded: "timed out"
        case .connectTimeout: "connect timed out"
        case .remoteConnectionClosed: "connection closed"
        default: "request failed"
        }
    }
}
