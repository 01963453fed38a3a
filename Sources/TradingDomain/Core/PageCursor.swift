import Foundation

/// Position after the last item of a newest-first page: its sort time (ms) and id. Opaque to clients.
public struct PageCursor: Sendable, Hashable {
    /// Sort time of the last item (opened_at for journal entries, created_at for plans), in ms.
    public var timeMs: Int64
    public var id: UUID

    public init(timeMs: Int64, id: UUID) {
        self.timeMs = timeMs
        self.id = id
    }

    /// URL-safe token, e.g. `MTcwMDAwMDAwMDAwMHw…`.
    public var token: String {
        let raw = "\(timeMs)|\(id.uuidString)"
        return Data(raw.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard token.count <= 128,
              let data = Data(base64Encoded: base64),
              let raw = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = raw.split(separator: "|")
        guard parts.count == 2, let ms = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            return nil
        }
        self.init(timeMs: ms, id: id)
    }
}
