import Foundation

/// What `POST /api/v1/orders/preview` asked for: one order, or a bracket built from a saved plan.
public struct OrderTicket: Sendable, Hashable, Codable {
    public var request: OrderRequest
    /// Build a bracket: after the entry fills, a stop (at the plan's stop) and a target (the plan's
    /// first target) are placed, and when one of them fills the other is cancelled.
    public var bracket: Bool
    /// The bracket's exits (stop and target) as previewed: frozen into the ticket the
    /// confirmation token is bound to, so a plan changed or deleted later cannot change them.
    public var exits: [OrderRequest]
    /// Set when this ticket sends again an order whose outcome is unknown ("send anyway").
    public var resendOf: String?

    public init(request: OrderRequest, bracket: Bool = false, exits: [OrderRequest] = [], resendOf: String? = nil) {
        self.request = request
        self.bracket = bracket
        self.exits = exits
        self.resendOf = resendOf
    }
}
