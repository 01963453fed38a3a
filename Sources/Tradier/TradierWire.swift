import Foundation
import TradingDomain
import TradingEngine

/// Reading and writing Tradier's wire formats (docs/vendors.md
/// section 2). Pure functions: no I/O, so every quirk is tested against recorded fixtures.
///
/// Error mapping (`error(status:body:retryAfter:)`):
///
/// | HTTP | body | result |
/// |---|---|---|
/// | 2xx | JSON without `errors`/`fault` | nil (parse it) |
/// | 2xx | `errors.error` (array or string), `order.errors`, `order.result:false` | `.rejected("broker_rejected", messages joined by "; ")` |
/// | any | `fault` with a token/key problem | `.unauthorized(faultstring)` |
/// | any | other `fault` (e.g. "Datastore Error") | `.unavailable` |
/// | 2xx | HTML page | `.unavailable` (maintenance); XML or other text → `.malformed` |
/// | 400, 409, 422 | anything | `.rejected("broker_rejected", messages or text)` |
/// | 401, 403 | anything | `.unauthorized` |
/// | 404 | anything | `.notFound` (GETs retry it first: Tradier's "temporary 404") |
/// | 429 | anything | `.rateLimited(until X-Ratelimit-Expiry)` |
/// | 408, 5xx | anything (often HTML) | `.unavailable("HTTP 502: <title or message>")` |
public enum TradierWire {
    /// The `code` of every `.rejected` error that carries the broker's own words.
    public static let rejectedCode = "broker_rejected"

    // MARK: errors

    /// Messages of `errors.error` (array or single string), of a failing preview's `order.errors`
    /// (string, array or `{error: …}`), at the top level or inside `order`; nil when there are none.
    public static func errorMessages(_ json: TradierJSON) -> [String]? {
        var messages: [String] = []
        for holder in [json["errors"], json["order"]["errors"]] where !holder.isEmptyValue {
            if case .object = holder {
                messages += holder["error"].list.compactMap(\.string)
            } else {
                messages += holder.list.compactMap(\.string)
            }
        }
        if case .string(let single) = json["error"], !single.isEmpty { messages.append(single) }
        return messages.isEmpty ? nil : messages
    }

    /// `fault.faultstring` and `fault.detail.errorcode` of a gateway fault envelope.
    public static func fault(_ json: TradierJSON) -> (message: String, code: String?)? {
        let fault = json["fault"]
        guard case .object = fault else { return nil }
        return (fault["faultstring"].string ?? "fault", fault["detail"]["errorcode"].string)
    }

    /// What a response means for the caller; nil when it is a success to be parsed.
    public static func error(status: Int, body: Data, retryAfter: TimeInterval? = nil) -> BrokerError? {
        let json = try? TradierJSON.parse(body)
        let messages = json.flatMap(errorMessages)
        let fault = json.flatMap(fault)
        let text = messages?.joined(separator: "; ") ?? fault?.message ?? snippet(body)
        switch status {
        case 200..<300:
            guard let json else {
                if isHTML(body) { return .unavailable("HTTP \(status) with an HTML page: \(snippet(body) ?? "maintenance")") }
                if isXML(body) { return .malformed("answer is XML, not JSON (was Accept: application/json sent?)") }
                return .malformed("HTTP \(status): body is not JSON" + (snippet(body).map { ": \($0)" } ?? ""))
            }
            if let fault { return faultError(fault, status: status) }
            if let messages { return .rejected(code: rejectedCode, reason: messages.joined(separator: "; ")) }
            if json["order"]["result"].bool == false {
                return .rejected(code: rejectedCode, reason: json["order"]["status"].string ?? "order refused")
            }
            return nil
        case 401, 403:
            return .unauthorized(text ?? "HTTP \(status)")
        case 429:
            return .rateLimited(retryAfter: retryAfter)
        case 400, 409, 422:
            if messages == nil, let fault { return faultError(fault, status: status) }
            return .rejected(code: rejectedCode, reason: text ?? "HTTP \(status)")
        case 404:
            return .notFound(text ?? "HTTP 404")
        case 408, 500..<600:
            if let fault, case .unauthorized = faultError(fault, status: status) { return faultError(fault, status: status) }
            return .unavailable("HTTP \(status)" + (text.map { ": \($0)" } ?? ""))
        default:
            return .malformed("HTTP \(status)" + (text.map { ": \($0)" } ?? ""))
        }
    }

    /// Token and key problems are credentials; anything else at the gateway (e.g. "Datastore Error") is transient.
    static func faultError(_ fault: (message: String, code: String?), status: Int) -> BrokerError {
        let words = (fault.message + " " + (fault.code ?? "")).lowercased()
        let credential = ["token", "keymanagement", "oauth", "apiproduct", "unauthorized", "invalid api"].contains { words.contains($0) }
        return credential || status == 401 || status == 403 ? .unauthorized(fault.message) : .unavailable(fault.message)
    }

    /// True when the broker refused a cancel because the order is already filled/canceled/expired.
    public static func isAlreadyFinal(_ error: BrokerError) -> Bool {
        if case .rejected(_, let reason) = error { return reason.lowercased().contains("already in finalized state") }
        return false
    }

    static func isHTML(_ body: Data) -> Bool {
        let head = String(decoding: body.prefix(512), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html")
    }

    static func isXML(_ body: Data) -> Bool {
        String(decoding: body.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<")
    }

    /// A short, single-line excerpt of a body for messages: an HTML page's `<title>`, else the first 200 characters.
    static func snippet(_ body: Data) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        if isHTML(body), let open = text.range(of: "<title>", options: .caseInsensitive),
           let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex) {
            return String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? nil : String(line.prefix(200))
    }

    // MARK: requests

    /// True when `tag` is a valid Tradier order tag: 1–255 letters, digits and `-`.
    public static func isValidTag(_ tag: String) -> Bool {
        (1...255).contains(tag.utf8.count) && tag.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }

    /// The form fields of a single-leg order (docs/vendors.md §2.3), in a stable order.
    /// Throws `.rejected("invalid_order", …)` for what Tradier would refuse anyway.
    public static func orderForm(_ request: OrderRequest, clientOrderID: String, preview: Bool = false) throws(BrokerError) -> [(String, String)] {
        guard isValidTag(clientOrderID) else {
            throw .rejected(code: "invalid_order", reason: "client order id '\(clientOrderID)' is not a valid Tradier tag (1-255 letters, digits and '-')")
        }
        guard request.quantity > 0, request.quantity.isWhole else {
            throw .rejected(code: "invalid_order", reason: "quantity must be a positive whole number, not \(request.quantity)")
        }
        guard request.action.assetClass == request.assetClass else {
            throw .rejected(code: "invalid_order", reason: "side \(request.action.rawValue) does not fit a \(request.assetClass.rawValue) order")
        }
        var fields: [(String, String)] = [("class", request.assetClass.rawValue), ("symbol", request.underlying.rawValue)]
        if request.assetClass == .option { fields.append(("option_symbol", request.symbol.rawValue)) }
        fields += [("side", request.action.rawValue), ("quantity", "\(request.quantity)"),
                   ("type", request.type.rawValue), ("duration", request.duration.rawValue)]
        if request.type.needsLimitPrice {
            guard let price = request.limitPrice, price > 0 else { throw .rejected(code: "invalid_order", reason: "a \(request.type.rawValue) order needs a limit price") }
            fields.append(("price", "\(price)"))
        }
        if request.type.needsStopPrice {
            guard let stop = request.stopPrice, stop > 0 else { throw .rejected(code: "invalid_order", reason: "a \(request.type.rawValue) order needs a stop price") }
            fields.append(("stop", "\(stop)"))
        }
        fields.append(("tag", clientOrderID))
        if preview { fields.append(("preview", "true")) }
        return fields
    }

    /// The form fields of a modify (docs/vendors.md §2.2): only what changes.
    public static func modifyForm(_ change: OrderChange) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let type = change.type { fields.append(("type", type.rawValue)) }
        if let duration = change.duration { fields.append(("duration", duration.rawValue)) }
        if let price = change.limitPrice { fields.append(("price", "\(price)")) }
        if let stop = change.stopPrice { fields.append(("stop", "\(stop)")) }
        return fields
    }

    /// `application/x-www-form-urlencoded` text of `fields`.
    public static func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    /// RFC 3986 unreserved characters: everything else is percent-encoded (space as `%20`).
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
