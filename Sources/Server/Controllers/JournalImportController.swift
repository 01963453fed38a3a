import APIInput
import Foundation
import Hummingbird
import NIOCore
import TradingDomain
import TradingEngine

/// Import of fills files into the journal and export of the journal as the generic fills CSV
/// (docs/journal.md, "Import and export").
struct JournalImportController {
    let repository: any JournalRepository
    let importer: JournalImporter

    func register(on group: RouterGroup<AppRequestContext>) {
        // A CSV body (`text/csv`, with `format` and `dry_run` in the query) or a JSON body
        // `{"format", "dry_run", "csv"}`.
        group.post("journal/import") { request, context in
            let (text, format, dryRun) = try await Self.readImport(request, context: context)
            let parsed = try JournalImportInput.parse(text, format: format)
            let report = try await importer.run(parsed, dryRun: dryRun)
            return JSONResponse(ImportReportDTO(report: report))
        }
        group.get("journal/export.csv") { request, _ in
            let query = try JournalController.query(from: request.uri.queryParameters, allowPaging: false)
            let entries = try await repository.all(matching: query)
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"journal.csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JournalExport.csv(entries))))
        }
    }

    static func readImport(
        _ request: Request, context: AppRequestContext
    ) async throws -> (text: String, format: JournalImportInput.Format?, dryRun: Bool) {
        let type = request.headers[.contentType]?.lowercased() ?? "text/csv"
        if type.hasPrefix("application/json") || type.contains("+json") {
            let body = try await request.jsonBody(context: context)
            var errors = FieldErrors()
            guard case .object(let object) = body else { throw ValidationFailure(field: "body", message: "must be a JSON object") }
            for key in object.keys.sorted() where !["format", "dry_run", "csv"].contains(key) {
                errors.add(key, "is not a known field (allowed: csv, dry_run, format)")
            }
            var text = ""
            switch object["csv"] {
            case .string(let value): text = value
            case nil, .null: errors.add("csv", "is required: the file's text")
            default: errors.add("csv", "must be a string: the file's text")
            }
            var format: JournalImportInput.Format?
            switch object["format"] {
            case nil, .null: break
            case .string(let value):
                format = JournalImportInput.Format(rawValue: value.lowercased())
                if format == nil { errors.add("format", Self.formatMessage) }
            default: errors.add("format", Self.formatMessage)
            }
            var dryRun = false
            switch object["dry_run"] {
            case nil, .null: break
            case .bool(let value): dryRun = value
            default: errors.add("dry_run", "must be true or false")
            }
            try errors.throwIfAny()
            return (text, format, dryRun)
        }
        guard type.hasPrefix("text/csv") || type.hasPrefix("text/plain") || type.hasPrefix("application/csv") else {
            throw Problem(.unsupportedMediaType, code: "unsupported_media_type",
                          detail: "send the file as text/csv, or JSON {\"format\", \"dry_run\", \"csv\"} (got \(type))")
        }
        let parameters = request.uri.queryParameters
        var errors = FieldErrors()
        parameters.rejectUnknown(allowed: ["format", "dry_run"], errors: &errors)
        var format: JournalImportInput.Format?
        if let text = parameters.get("format") {
            format = JournalImportInput.Format(rawValue: text.lowercased())
            if format == nil { errors.add("format", Self.formatMessage) }
        }
        var dryRun = false
        if let text = parameters.get("dry_run") {
            switch text.lowercased() {
            case "true", "1": dryRun = true
            case "false", "0": dryRun = false
            default: errors.add("dry_run", "must be true or false")
            }
        }
        try errors.throwIfAny()
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Request.tooLarge(context)
        } catch is NIOTooManyBytesError {
            throw Request.tooLarge(context)
        }
        guard let text = String(validating: Data(buffer: buffer), as: UTF8.self) else {
            throw ValidationFailure(field: "csv", message: "is not UTF-8 text")
        }
        return (text, format, dryRun)
    }

    static let formatMessage = "must be one of \(JournalImportInput.Format.allCases.map(\.rawValue).joined(separator: ", "))"
}

/// The import's answer: `{"new", "duplicates", "errors": [{"line", "message"}]}` and what it made.
struct ImportReportDTO: Encodable, Sendable {
    var report: JournalImportReport

    enum CodingKeys: String, CodingKey { case format, dry_run, lines, new, duplicates, errors, trades, preview }
    struct LineErrorDTO: Encodable, Sendable { var line: Int; var message: String }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(report.format.rawValue, forKey: .format)
        try c.encode(report.dryRun, forKey: .dry_run)
        try c.encode(report.lines, forKey: .lines)
        try c.encode(report.new, forKey: .new)
        try c.encode(report.duplicates, forKey: .duplicates)
        try c.encode(report.errors.map { LineErrorDTO(line: $0.line, message: $0.message) }, forKey: .errors)
        try c.encode(report.trades.count, forKey: .trades)
        // The trades as the journal would show them (the dashboard's dry-run diff); the first 200.
        try c.encode(report.trades.prefix(200).map(JournalEntryDTO.init), forKey: .preview)
    }
}
