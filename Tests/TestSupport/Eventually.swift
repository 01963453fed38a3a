/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
/// The one waiting helper for integration tests against real servers, processes and fakes on
/// loopback (engine tests use a manual clock instead and never wait).
@discardableResult
public func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
