import APIInput
import Foundation
import TradingDomain

/// What an import did (or, for a dry run, would do).
public struct JournalImportReport: Sendable, Hashable {
    public var format: JournalImportInput.Format
    public var dryRun: Bool
    /// Data lines in the file.
    public var lines: Int
    /// Lines imported now (or that a real run would import).
    public var new: Int
    /// Lines whose fills were imported before.
    public var duplicates: Int
    public var errors: [JournalImportInput.LineError]
    /// The trades the new lines make, as stored (or as they would be).
    public var trades: [JournalEntry]
}

/// Imports fills files into the journal (docs/journal.md, "Import and export"): drops lines whose
/// fills are stored already (by broker id or fingerprint), groups the rest into trades like live
/// executions, and stores them in one transaction. Imports run one at a time, so the same file
/// sent twice at once cannot slip past the duplicate check.
public final class JournalImporter: Sendable {
    let journal: any JournalRepository
    let clock: any WallClock
    private let serial = AsyncSerial()

    public init(journal: any JournalRepository, clock: any WallClock) {
        self.journal = journal
        self.clock = clock
    }

    public func run(_ parsed: JournalImportInput.Parsed, dryRun: Bool) async throws -> JournalImportReport {
        try await serial.run { () async throws -> JournalImportReport in
            let known = try await journal.importedFillIDs(among: parsed.fills.map(\.id))
            var lines: [Int: Bool] = [:]  // line → already imported
            for fill in parsed.fills where lines[fill.line] == nil { lines[fill.line] = known.contains(fill.id) }
            let fresh = parsed.fills.filter { lines[$0.line] == false }
            let grouped = JournalImport.group(
                fresh, format: parsed.format.rawValue, now: clock.now().truncatedToMilliseconds, newID: { UUID() })
            if !dryRun && !grouped.entries.isEmpty {
                try await journal.saveImport(entries: grouped.entries, legs: grouped.legs)
            }
            return JournalImportReport(
                format: parsed.format, dryRun: dryRun, lines: parsed.lines,
                new: lines.values.filter { !$0 }.count, duplicates: lines.values.filter { $0 }.count,
                errors: parsed.errors, trades: grouped.entries)
        }
    }
}
