import APIInput
import Foundation
import TradingDomain

/// Reads and changes settings. Changes are read-modify-write with an optimistic version check,
/// retried a few times, so concurrent PATCHes never lose each other's fields.
public struct SettingsService: Sendable {
    public let repository: any SettingsRepository

    public init(repository: any SettingsRepository) {
        self.repository = repository
    }

    public func current() async throws -> AppSettings {
        try await repository.load().settings
    }

    /// Applies a merge patch; throws `ValidationFailure` listing every bad field.
    public func apply(patch: JSONValue) async throws -> AppSettings {
        for _ in 0..<5 {
            let (settings, version) = try await repository.load()
            let updated = try settings.applying(patch: patch)
            if updated == settings { return settings }
            if try await repository.save(updated, expectedVersion: version) { return updated }
        }
        throw ConcurrentUpdateError()
    }

    /// A change made by the server itself (not a user's patch), with the same optimistic retries.
    @discardableResult
    public func update(_ change: @Sendable (inout AppSettings) -> Void) async throws -> AppSettings {
        for _ in 0..<5 {
            let (settings, version) = try await repository.load()
            var updated = settings
            change(&updated)
            if updated == settings { return settings }
            if try await repository.save(updated, expectedVersion: version) { return updated }
        }
        throw ConcurrentUpdateError()
    }
}

/// The same record was changed by someone else several times in a row while we tried to update it.
public struct ConcurrentUpdateError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the settings were changed concurrently; try again" }
}
