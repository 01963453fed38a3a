import Foundation

/// The one line printed when the server listens. It never contains the API key
/// (docs/operations.md, "Access, login and secrets"):
/// - a generated key (no `TA_API_KEY`) and an interactive terminal: the URL with a one-time login
///   code (`/?login=CODE`, single use, 5 minutes), like Jupyter's, but without the key itself;
/// - otherwise (a configured key, output to a file or pipe, `trading-assistant mcp`): the URL with
///   no secret at all and where to find the key.
public enum StartupBanner {
    enum KeySource: Equatable {
        /// `TA_API_KEY` is set.
        case configured
        /// Generated on a first start, or read back from `<data dir>/api_key`.
        case stored(path: String)
    }

    static func line(host: String, port: Int, keySource: KeySource, loginCode: String?) -> String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let base = "http://\(shownHost):\(port)/"
        if let loginCode, case .stored = keySource {
            return "Trading Assistant is running. Open the dashboard: \(base)?login=\(loginCode) (one-time code, valid 5 minutes)"
        }
        switch keySource {
        case .configured:
            return "Trading Assistant is running. Open the dashboard: \(base) and sign in with your API key (TA_API_KEY)"
        case .stored(let path):
            return "Trading Assistant is running. Open the dashboard: \(base) and sign in with your API key (stored in \(path))"
        }
    }

    /// Whether a login code may be printed: only for a generated key, and only to a person at a
    /// terminal (a code in a log file or a CI transcript would be a credential lying around).
    static func showsLoginCode(keySource: KeySource, stdoutIsTerminal: Bool) -> Bool {
        if case .stored = keySource { return stdoutIsTerminal }
        return false
    }

    public static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
}
