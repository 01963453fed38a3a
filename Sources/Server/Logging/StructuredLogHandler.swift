import Foundation
import Logging
import TradingDomain

/// Removes known secret values (API key, broker token, model keys, database password) from
/// every log line, whatever part of the line they ended up in.
public struct SecretRedactor: Sendable {
    private let secrets: [String]

    public init(secrets: [String]) {
        // Longest first, so a secret that contains another is replaced whole. Very short values
        // are not treated as secrets: replacing them would mangle ordinary text.
        self.secrets = Array(Set(secrets.filter { $0.count >= 6 })).sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "[REDACTED]")
        }
        return result
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

    public init(label: String, level: Logger.Level, format: Format, redactor: SecretRedactor, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.redactor = redactor
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
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
public final class LogSink: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle?
    private var captured: [String]?

    init(handle: FileHandle?, capture: Bool) {
        self.handle = handle
        self.captured = capture ? [] : nil
    }

    public static let standardError = LogSink(handle: FileHandle.standardError, capture: false)

    /// Keeps lines in memory (tests read them back with `lines`).
    public static func memory() -> LogSink { LogSink(handle: nil, capture: true) }

    func write(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        captured?.append(line)
        handle?.write(Data(line.utf8))
    }

    public var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return captured ?? []
    }
}
