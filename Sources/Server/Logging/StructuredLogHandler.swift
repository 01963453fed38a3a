import Foundation
import Synchronization
import Logging
import TradingDomain

/// Removes known secret values (API key, broker token, model keys, database password) from
/// every log line, whatever part of the line they ended up in, also in the forms they take inside
/// JSON strings (`/` as `\/`, `"` as `\"`, `\` as `\\`, escaped once or twice) and in URLs
/// (percent-encoded). Discord webhook tokens (`…/webhooks/{id}/{token}`, see
/// https://discord.com/developers/docs/resources/webhook) are removed by shape, since they live in
/// the settings, not in the configuration.
public struct SecretRedactor: Sendable {
    private let secrets: [String]

    public init(secrets: [String]) {
        // Longest first, so a secret that contains another is replaced whole. Very short values
        // are not treated as secrets: replacing them would mangle ordinary text.
        let forms = secrets.filter { $0.count >= 6 }.flatMap(Self.encodedForms(of:))
        self.secrets = Array(Set(forms)).sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "[REDACTED]")
        }
        return Self.redactWebhookTokens(result)
    }

    /// The secret as written raw, percent-encoded, and JSON-escaped (once and twice: a JSON document
    /// logged inside a JSON log line), with and without `/` escaped.
    static func encodedForms(of secret: String) -> [String] {
        var bases = [secret]
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        if let strict = secret.addingPercentEncoding(withAllowedCharacters: unreserved) {
            bases.append(strict)
            bases.append(lowercasedPercentEscapes(strict))
        }
        if let query = secret.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { bases.append(query) }
        var forms = Set<String>()
        for base in bases {
            forms.insert(base)
            for escapeSlash in [false, true] {
                let once = jsonEscaped(base, escapeSlash: escapeSlash)
                forms.insert(once)
                forms.insert(jsonEscaped(once, escapeSlash: escapeSlash))
            }
        }
        return Array(forms)
    }

    static func jsonEscaped(_ text: String, escapeSlash: Bool) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "/" where escapeSlash: out += "\\/"
            default: out.append(character)
            }
        }
        return out
    }

    static func lowercasedPercentEscapes(_ text: String) -> String {
        var out = ""
        var pending = 0
        for character in text {
            if character == "%" { pending = 2; out.append(character); continue }
            if pending > 0 { pending -= 1; out += character.lowercased() } else { out.append(character) }
        }
        return out
    }

    /// `webhooks/{id}/{token}` with any escaping of the slashes (`/`, `\/`, `%2F`): the token goes.
    private static let webhookToken = try! NSRegularExpression(
        pattern: #"((?i:webhooks)(?:\\*/|%2[Ff])[0-9]+(?:\\*/|%2[Ff]))[A-Za-z0-9_\-]{8,}"#)

    static func redactWebhookTokens(_ text: String) -> String {
        guard text.range(of: "webhooks", options: .caseInsensitive) != nil else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return webhookToken.stringByReplacingMatches(in: text, range: range, withTemplate: "$1[REDACTED]")
    }
}

/// Fluent/SQLKit log every statement with its bind values at the SQL log level (`trace` here, see
/// `Store`). The settings document holds the Discord webhook URL (with its token), so the binds of
/// any statement on its table are replaced whole; other statements keep theirs for debugging.
public struct SQLBindRedaction: Sendable {
    public var tables: [String]

    public init(tables: [String] = ["app_settings"]) {
        self.tables = tables
    }

    func apply(_ fields: inout Logger.Metadata) {
        guard fields["binds"] != nil, let sql = fields["sql"]?.description else { return }
        if tables.contains(where: { sql.contains("\"\($0)\"") || sql.contains("`\($0)`") || sql.contains(" \($0) ") }) {
            fields["binds"] = "[REDACTED: settings document]"
        }
    }
}

/// Writes one event per line, as JSON (`{"ts":…,"level":…,"msg":…,…}`) or logfmt
/// (`ts=… level=info msg="…" key=value`), with secrets redacted.
public struct StructuredLogHandler: LogHandler {
    public enum Format: Sendable { case json, logfmt }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format
    let redactor: SecretRedactor
    let sink: LogSink
    let sqlBinds: SQLBindRedaction

    public init(
        label: String, level: Logger.Level, format: Format, redactor: SecretRedactor, sink: LogSink = .standardError,
        sqlBinds: SQLBindRedaction = SQLBindRedaction()
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.redactor = redactor
        self.sink = sink
        self.sqlBinds = sqlBinds
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        sqlBinds.apply(&fields)
        let line = render(level: event.level, message: "\(event.message)", fields: fields)
        sink.write(redactor.redact(line) + "\n")
    }

    func render(level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        let ts = ISO8601.format(Date())
        let sortedKeys = fields.keys.sorted()
        switch format {
        case .json:
            var parts = [
                "\"ts\":\(jsonString(ts))", "\"level\":\(jsonString(level.rawValue))",
                "\"logger\":\(jsonString(label))", "\"msg\":\(jsonString(message))",
            ]
            for key in sortedKeys { parts.append("\(jsonString(key)):\(jsonString(fields[key]!.description))") }
            return "{" + parts.joined(separator: ",") + "}"
        case .logfmt:
            var parts = ["ts=\(ts)", "level=\(level.rawValue)", "logger=\(logfmtValue(label))", "msg=\(logfmtValue(message))"]
            for key in sortedKeys { parts.append("\(key)=\(logfmtValue(fields[key]!.description))") }
            return parts.joined(separator: " ")
        }
    }

    func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    func logfmtValue(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline })
        return needsQuotes ? jsonString(text) : text
    }
}

/// Where log lines go. Writes are serialised so lines never interleave.
public final class LogSink: Sendable {
    /// The captured lines (nil when not capturing); the file handle is written under the same lock.
    private let state: Mutex<[String]?>
    private let handle: FileHandle?

    init(handle: FileHandle?, capture: Bool) {
        self.handle = handle
        state = Mutex(capture ? [] : nil)
    }

    public static let standardError = LogSink(handle: FileHandle.standardError, capture: false)

    /// Keeps lines in memory (tests read them back with `lines`).
    public static func memory() -> LogSink { LogSink(handle: nil, capture: true) }

    public func write(_ line: String) {
        state.withLock { captured in
            captured?.append(line)
            handle?.write(Data(line.utf8))
        }
    }

    public var lines: [String] { state.withLock { $0 ?? [] } }
}
