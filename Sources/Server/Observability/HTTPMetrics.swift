import Foundation
import TradingEngine
import Synchronization

/// Counts HTTP requests by route template, method and status, with a latency histogram per route.
/// Route templates (not raw paths) keep the label set bounded.
final class HTTPMetrics: Sendable {
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct Key: Hashable { var route: String, method: String, status: Int }
    struct Histogram {
        var counts = [Int](repeating: 0, count: HTTPMetrics.buckets.count)
        var sum: Double = 0
        var count = 0
    }

    private let state = Mutex<(requests: [Key: Int], latency: [String: Histogram])>(([:], [:]))

    func record(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[Key(route: route, method: method, status: status), default: 0] += 1
            var histogram = state.latency[route] ?? Histogram()
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { histogram.counts[index] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            state.latency[route] = histogram
        }
    }

    func write(to text: inout PrometheusText) {
        let (requests, latency) = state.withLock { ($0.requests, $0.latency) }
        text.header("ta_http_requests_total", "counter", "HTTP requests by route template, method and status.")
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            text.sample("ta_http_requests_total", ["route": key.route, "method": key.method, "status": String(key.status)], Double(count))
        }
        text.header("ta_http_request_duration_seconds", "histogram", "HTTP request latency by route template.")
        for (route, histogram) in latency.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.buckets.enumerated() {
                text.sample("ta_http_request_duration_seconds_bucket", ["route": route, "le": PrometheusText.number(bound)], Double(histogram.counts[index]))
            }
            text.sample("ta_http_request_duration_seconds_bucket", ["route": route, "le": "+Inf"], Double(histogram.count))
            text.sample("ta_http_request_duration_seconds_sum", ["route": route], histogram.sum)
            text.sample("ta_http_request_duration_seconds_count", ["route": route], Double(histogram.count))
        }
    }
}

/// Prometheus text exposition format 0.0.4.
struct PrometheusText {
    private(set) var body = ""

    mutating func header(_ name: String, _ type: String, _ help: String) {
        body += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        body += name
        if !labels.isEmpty {
            body += "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
        }
        body += " " + Self.number(value) + "\n"
    }

    /// A metric with one sample.
    mutating func single(_ name: String, _ type: String, _ help: String, _ value: Double, _ labels: [String: String] = [:]) {
        header(name, type, help)
        sample(name, labels, value)
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
