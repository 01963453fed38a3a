import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// The risk state (a JSON document) and its firings. A firing, its Discord message and the new
/// state are one transaction, keyed by the episode id, so a breach fires once across restarts.
public struct FluentRiskRepository: RiskRepository {
    static let documentName = "risk_state"
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    public func loadState() async throws -> RiskState? {
        guard let model = try await DocumentModel.find(Self.documentName, on: store.db()) else { return nil }
        return try Self.decoder.decode(RiskState.self, from: Data(model.body.utf8))
    }

    public func save(_ state: RiskState, firings: [RiskFiring], outbox: [OutboxMessage]) async throws -> [RiskFiring] {
        let body = String(decoding: try Self.encoder.encode(state), as: UTF8.self)
        return try await store.db().transaction { db in
            var stored: [RiskFiring] = []
            for firing in firings where try await RiskFiringModel.find(firing.episodeID, on: db) == nil {
                let model = RiskFiringModel()
                model.id = firing.episodeID
                model.kind = firing.kind.rawValue
                model.symbol = firing.symbol?.rawValue
                model.value = DecimalColumns.text(firing.value)
                model.limit = DecimalColumns.text(firing.limit)
                model.message = firing.message
                model.mode = firing.mode.rawValue
                model.firedAtMs = firing.time.epochMilliseconds
                try await model.create(on: db)
                stored.append(firing)
            }
            for message in outbox { _ = try await FluentOutboxRepository.insert(message, on: db) }
            let document = try await DocumentModel.find(Self.documentName, on: db) ?? {
                let fresh = DocumentModel()
                fresh.id = Self.documentName
                return fresh
            }()
            document.body = body
            document.updatedAtMs = Date().epochMilliseconds
            try await document.save(on: db)
            return stored
        }
    }

    public func firings(limit: Int) async throws -> [RiskFiring] {
        try await RiskFiringModel.query(on: store.db()).sort(\.$firedAtMs, .descending).limit(limit).all().map { model in
            RiskFiring(
                episodeID: model.id ?? "", kind: RiskLimitKind(rawValue: model.kind) ?? .dailyLoss,
                symbol: model.symbol.map(Symbol.init(trusted:)),
                value: try DecimalColumns.decimal(model.value, column: "value", row: nil),
                limit: try DecimalColumns.decimal(model.limit, column: "limit_value", row: nil),
                message: model.message, mode: RiskMode(rawValue: model.mode) ?? .halted,
                time: Date(epochMilliseconds: model.firedAtMs))
        }
    }
}
