import Foundation
import Synchronization
import TradingDomain
import TradingEngine

/// An in-memory `Notifier`: records every notification handed to it and answers from a FIFO
/// script of outcomes (falling back to `defaultOutcome`, initially `.delivered`). It never retries,
/// so each `deliver` is exactly one recorded attempt.
public final class RecordingNotifier: Notifier {
    public let channel: String

    struct State {
        var script: [DeliveryOutcome] = []
        var defaultOutcome: DeliveryOutcome = .delivered
        var attempts: [NotificationMessage] = []
        var delivered: [NotificationMessage] = []
    }

    private let state = Mutex(State())

    public init(channel: String = "discord") {
        self.channel = channel
    }

    /// Appends answers for the next deliveries, in order.
    public func enqueue(_ outcomes: DeliveryOutcome...) {
        state.withLock { $0.script.append(contentsOf: outcomes) }
    }

    /// The answer once the script is used up.
    public var defaultOutcome: DeliveryOutcome {
        get { state.withLock { $0.defaultOutcome } }
        set { state.withLock { $0.defaultOutcome = newValue } }
    }

    /// Every notification handed to `deliver`, in order, whatever the answer.
    public var attempts: [NotificationMessage] { state.withLock { $0.attempts } }
    /// The notifications answered `.delivered`, in order.
    public var delivered: [NotificationMessage] { state.withLock { $0.delivered } }
    /// Scripted answers not used yet.
    public var pendingOutcomes: [DeliveryOutcome] { state.withLock { $0.script } }

    public func deliver(_ notification: NotificationMessage) async -> DeliveryOutcome {
        state.withLock { state in
            let outcome = state.script.isEmpty ? state.defaultOutcome : state.script.removeFirst()
            state.attempts.append(notification)
            if outcome == .delivered { state.delivered.append(notification) }
            return outcome
        }
    }
}
