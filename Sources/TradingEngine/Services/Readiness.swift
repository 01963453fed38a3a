import Foundation
import Synchronization

/// The one mechanism by which parts of the system say whether they are ready to serve:
/// each registers a named check; `/ready` runs them all (concurrently, each with a timeout).
public final class ReadinessRegistry: Sendable {
    public struct Result: Sendable, Hashable {
        public var name: String
        public var ok: Bool
        public var detail: String

        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    public typealias Check = @Sendable () async throws -> String

    private let checks: Mutex<[(String, Check)]> = Mutex([])
    public let timeout: Duration

    public init(timeout: Duration = .seconds(2)) {
        self.timeout = timeout
    }

    /// Registers a check. It returns a short detail when ready and throws (with the reason) when not.
    public func register(_ name: String, _ check: @escaping Check) {
        checks.withLock { $0.append((name, check)) }
    }

    public func run() async -> [Result] {
        let current = checks.withLock { $0 }
        let timeout = self.timeout
        return await withTaskGroup(of: (Int, Result).self) { group in
            for (index, (name, check)) in current.enumerated() {
                group.addTask {
                    let result = await Self.runOne(name: name, check: check, timeout: timeout)
                    return (index, result)
                }
            }
            var results: [(Int, Result)] = []
            for await item in group { results.append(item) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private static func runOne(name: String, check: @escaping Check, timeout: Duration) async -> Result {
        await withTaskGroup(of: Result?.self) { group in
            group.addTask {
                do {
                    return Result(name: name, ok: true, detail: try await check())
                } catch {
                    return Result(name: name, ok: false, detail: "\(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : Result(name: name, ok: false, detail: "timed out after \(timeout)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? Result(name: name, ok: false, detail: "no result")
        }
    }
}

/// A readiness check's "not ready" answer, with the reason shown in `/ready`.
public struct ReadinessFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
