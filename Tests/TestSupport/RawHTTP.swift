import Foundation

/// A tiny blocking HTTP/1.1 client over a loopback TCP socket. Tests use it against the real
/// binary so they control every byte (e.g. send half a body, then the rest later).
public final class RawHTTPConnection: @unchecked Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data

        public var text: String { String(decoding: body, as: UTF8.self) }

        public func json() throws -> [String: Any] {
            (try JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
        }
    }

    private let fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProcessFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw ProcessFailure("connect to 127.0.0.1:\(port) failed (errno \(errno))")
        }
    }

    deinit { close(fd) }

    public func send(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw ProcessFailure("send failed (errno \(errno))") }
            offset += sent
        }
    }

    public func send(_ text: String) throws { try send(Data(text.utf8)) }

    /// Reads one response (headers, then `Content-Length` bytes or until close).
    public func readResponse() throws -> Response {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func fill() throws -> Bool {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 { throw ProcessFailure("recv failed (errno \(errno))") }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard try fill() else { throw ProcessFailure("connection closed before a response: \(String(decoding: buffer, as: UTF8.self))") }
        }
        let headerEnd = buffer.range(of: separator)!
        let head = String(decoding: buffer[..<headerEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ProcessFailure("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[headerEnd.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init) {
            while body.count < length {
                let before = buffer.count
                guard try fill() else { break }
                body.append(buffer[before...])
            }
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// One request on a new connection, `Connection: close`.
    public static func request(
        port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil
    ) throws -> Response {
        let connection = try RawHTTPConnection(port: port)
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"]
        for (name, value) in headers { lines.append("\(name): \(value)") }
        if let body {
            if headers["Content-Type"] == nil { lines.append("Content-Type: application/json") }
            lines.append("Content-Length: \(body.utf8.count)")
        }
        try connection.send(lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? ""))
        return try connection.readResponse()
    }
}
