import Foundation
import Logging
import TradingDomain
import TradingEngine

extension PaperBroker {
    /// The loaded ledger (loading it on first use), with the current market calendar.
    func current() async throws(BrokerError) -> PaperLedger {
        if var ledger = state.withLock({ $0.ledger }) {
            ledger.calendar = calendar.calendar()
            return ledger
        }
        do {
            try await load()
        } catch {
            throw .unavailable("the paper ledger could not be loaded: \(error)")
        }
        guard var ledger = state.withLock({ $0.ledger }) else { throw .unavailable("the paper ledger is not loaded") }
        ledger.calendar = calendar.calendar()
        return ledger
    }

    /// Runs one change of the ledger, alone: on a copy; if it changed anything, stores the copy,
    /// then makes it current; then publishes its updates.
    @discardableResult
    func change<T: Sendable>(
        _ body: (inout PaperLedger, Date) throws(BrokerError) -> (T, [PaperUpdate])
    ) async throws(BrokerError) -> T {
        _ = try await current()
        return try await gate.run { () async throws(BrokerError) -> T in
            guard var ledger = state.withLock({ $0.ledger }) else { throw .unavailable("the paper ledger is not loaded") }
            ledger.calendar = calendar.calendar()
            let revision = ledger.revision
            let (value, updates) = try body(&ledger, clock.now())
            if ledger.revision != revision {
                try await save(ledger)
                commit(ledger)
            }
            publish(updates)
            return value
        }
    }

    func save(_ ledger: PaperLedger) async throws(BrokerError) {
        do {
            try await store.savePaperLedger(ledger.document())
        } catch {
            logger.error("storing the paper ledger failed", metadata: ["error": .string("\(error)")])
            throw .unavailable("the paper ledger could not be stored: \(error)")
        }
    }

    /// Makes `ledger` current and tells the observers when the symbols of interest changed.
    func commit(_ ledger: PaperLedger) {
        let (changed, observers) = state.withLock { state -> (Set<Symbol>?, [@Sendable (Set<Symbol>) -> Void]) in
            let wasLoaded = state.ledger != nil
            state.ledger = ledger
            state.matchSymbols = ledger.matchSymbols
            let interest = ledger.symbolsOfInterest
            guard interest != state.symbolsOfInterest || !wasLoaded else { return (nil, []) }
            state.symbolsOfInterest = interest
            return (interest, state.observers)
        }
        if let changed { for observer in observers { observer(changed) } }
    }

    func publish(_ updates: [PaperUpdate]) {
        for update in updates {
            switch update {
            case .order(let order):
                updateContinuation.yield(.order(order))
            case .fill(let fill):
                logger.info("paper fill", metadata: [
                    "client_order_id": .string(fill.clientOrderID), "symbol": .string(fill.symbol.rawValue),
                    "action": .string(fill.action.rawValue), "quantity": "\(fill.quantity)", "price": "\(fill.price)",
                ])
                updateContinuation.yield(.fill(fill))
            }
        }
    }

    static func brokerError(_ error: PaperLedgerError) -> BrokerError {
        switch error {
        case .notFound(let id): .notFound("paper order \(id)")
        case .rejected(let rejection): .rejected(code: rejection.code, reason: rejection.reason)
        }
    }
}
