import Foundation
import Logging
import Server
import TestSupport

/// Configuration for an in-process test server on a fresh database.
enum TestApp {
    static let apiKey = "test-api-key-0123456789abcdef"

    static func config(database: TestDatabase, apiKey: String? = TestApp.apiKey) -> AppConfig {
        var config = AppConfig()
        config.port = 0
        config.dataDirectory = database.directory.path
        config.apiKey = apiKey
        config.logLevel = .info
        // The simulated market ticks at any hour in tests (they need prices whatever the time of
        // day); a test of the calendar mode sets `.calendar` and a manual clock.
        config.simulation.session = .alwaysOpen
        if case .postgres(let url) = database.location { config.databaseURL = url }
        return config
    }
}
