import Foundation

/// The real `trading-assistant` binary started as a child process, for tests of start-up output,
/// signals, restarts and `kill -9`. Output goes to files so it can be read while it runs.
public final class ServerProcess: @unchecked Sendable {
    public let process: Process
    public let stdoutURL: URL
    public let stderrURL: URL
    public private(set) var port: Int = 0
    /// The dashboard URL from the start-up line (with `?login=CODE` only when stdout is a terminal,
    /// which it never is here).
    public private(set) var dashboardURL: String = ""

    /// The built executable: `TA_BINARY`, or next to the test bundle, or `.build/debug`.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["TA_BINARY"] { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("trading-assistant")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/trading-assistant")
    }

    /// Starts the binary with exactly `environment` (plus PATH/HOME, and `TA_SIM_SESSION=always_open`
    /// unless given: the simulated market must tick whatever the hour a test runs at) and
    /// `arguments`, in `directory`.
    public init(arguments: [String] = [], environment: [String: String], directory: URL) throws {
        process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = ProcessInfo.processInfo.environment["HOME"] ?? "/tmp"
        env["TA_SIM_SESSION"] = env["TA_SIM_SESSION"] ?? "always_open"
        process.environment = env
        process.currentDirectoryURL = directory
        let stamp = UUID().uuidString.prefix(8)
        stdoutURL = directory.appendingPathComponent("stdout-\(stamp).log")
        stderrURL = directory.appendingPathComponent("stderr-\(stamp).log")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until the dashboard URL is printed (the server listens), and records the port.
    public func waitUntilListening(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.contains("Open the dashboard: http://") }),
               let range = line.range(of: "http://") {
                dashboardURL = String(line[range.lowerBound...].prefix { !$0.isWhitespace })
                if let components = URLComponents(string: dashboardURL), let port = components.port {
                    self.port = port
                    return
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessFailure("server did not start listening; exit=\(process.isRunning ? "running" : "\(process.terminationStatus)")\nstdout:\n\(stdout)\nstderr:\n\(stderr)")
    }

    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end; returns its exit status, or nil if it is still running at the deadline.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Kills the process if it is still running (cleanup).
    public func stop() async {
        if process.isRunning {
            signal(SIGKILL)
            _ = await waitForExit(timeout: .seconds(5))
        }
    }
}

public struct ProcessFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
