import Synchronization

/// A `Mutex` that closures and tasks can share: a `Mutex` itself is non-copyable, so it cannot be
/// captured by an escaping closure; this reference to one can. Stored properties of a class use
/// `Mutex` directly.
public final class Shared<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    public func withLock<T, E: Error>(_ body: (inout sending Value) throws(E) -> sending T) throws(E) -> sending T {
        try mutex.withLock(body)
    }
}
