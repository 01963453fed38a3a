import FluentKit
import Foundation
import TradingDomain
import TradingEngine

/// Our orders, their fills, and the journal entries executions produce. A fill, its journal
/// changes and its legs are one transaction, and the fill id is the key: a fill reported twice
/// (after a reconnect or a restart) changes nothing the second time.
public struct FluentOrderRepository: OrderRepository {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    public func insert(_ records: [OrderRecord]) async throws {
        try await store.db().transaction { db in
            for record in records {
                let model = OrderModel()
                model.id = record.order.clientOrderID
                model.broker = record.broker
                model.confirmationToken = record.confirmationToken
                model.parentID = record.parentID
                OrderMapping.copy(record.order, into: model)
                try await model.create(on: db)
            }
        }
    }

    public func find(clientOrderID: String) async throws -> OrderRecord? {
        try await OrderModel.find(clientOrderID, on: store.db()).map(OrderMapping.record(from:))
    }

    public func find(confirmationToken: String) async throws -> OrderRecord? {
        try await OrderModel.query(on: store.db()).filter(\.$confirmationToken == confirmationToken).first()
            .map(OrderMapping.record(from:))
    }

    public func list(_ query: OrderQuery) async throws -> [OrderRecord] {
        // A GET list: on the read connections (docs/performance.md, "Reads beside the writer").
        let builder = OrderModel.query(on: try store.readDB())
        if let statuses = query.status { builder.filter(\.$status ~~ statuses.map(\.rawValue)) }
        if let symbol = query.symbol { builder.filter(\.$symbol == symbol.rawValue) }
        return try await builder.sort(\.$createdAtMs, .descending).sort(\.$id, .descending).limit(query.limit).all()
            .map(OrderMapping.record(from:))
    }

    public func unfinished() async throws -> [OrderRecord] {
        try await OrderModel.query(on: store.db()).filter(\.$isFinal == false).sort(\.$createdAtMs).all()
            .map(OrderMapping.record(from:))
    }

    public func children(of parentID: String) async throws -> [OrderRecord] {
        try await OrderModel.query(on: store.db()).filter(\.$parentID == parentID).sort(\.$createdAtMs).all()
            .map(OrderMapping.record(from:))
    }

    public func update(_ order: BrokerOrder) async throws {
        let db = try store.db()
        guard let model = try await OrderModel.find(order.clientOrderID, on: db) else { return }
        OrderMapping.copy(order, into: model)
        try await model.update(on: db)
    }

    public func record(fill: Fill, journal: ExecutionJournal.Result) async throws -> Bool {
        try await store.db().transaction { db in
            guard try await FillModel.find(fill.id, on: db) == nil else { return false }
            let model = FillModel()
            model.id = fill.id
            model.clientOrderID = fill.clientOrderID
            model.symbol = fill.symbol.rawValue
            model.action = fill.action.rawValue
            model.quantity = DecimalColumns.text(fill.quantity)
            model.price = DecimalColumns.text(fill.price)
            model.commission = DecimalColumns.text(fill.commission)
            model.filledAtMs = fill.time.epochMilliseconds
            try await model.create(on: db)
            for entry in journal.entries {
                let row = try await JournalEntryModel.find(entry.id, on: db) ?? {
                    let fresh = JournalEntryModel()
                    fresh.id = entry.id
                    return fresh
                }()
                JournalMapping.copy(entry, into: row)
                try await row.save(on: db)
            }
            for leg in journal.legs {
                let row = ExecutionLegModel()
                row.id = UUID()
                row.fillID = fill.id
                row.entryID = leg.entryID
                row.effect = leg.effect.rawValue
                row.quantity = DecimalColumns.text(leg.quantity)
                row.price = DecimalColumns.text(leg.price)
                try await row.create(on: db)
            }
            return true
        }
    }

    public func openExecution(symbol: Symbol) async throws -> OpenExecution? {
        let db = try store.db()
        guard let model = try await JournalEntryModel.query(on: db)
            .filter(\.$symbol == symbol.rawValue)
            .filter(\.$source == JournalEntry.Source.execution.rawValue)
            .filter(\.$isOpen == true)
            .sort(\.$openedAtMs, .descending)
            .first()
        else { return nil }
        let entry = try JournalMapping.entry(from: model)
        var closed: Decimal = 0
        var notional: Decimal = 0
        for leg in try await ExecutionLegModel.query(on: db)
            .filter(\.$entryID == entry.id).filter(\.$effect == ExecutionLeg.Effect.close.rawValue).all() {
            let quantity = try DecimalColumns.decimal(leg.quantity, column: "quantity", row: leg.id)
            closed += quantity
            notional += quantity * (try DecimalColumns.decimal(leg.price, column: "price", row: leg.id))
        }
        return OpenExecution(entry: entry, closedQuantity: closed, closedNotional: notional)
    }

    public func statusCounts() async throws -> [OrderStatus: Int] {
        var counts: [OrderStatus: Int] = [:]
        for status in OrderStatus.allCases {
            counts[status] = try await OrderModel.query(on: store.db()).filter(\.$status == status.rawValue).count()
        }
        return counts
    }

    public func fills(clientOrderID: String) async throws -> [Fill] {
        try await FillModel.query(on: store.db()).filter(\.$clientOrderID == clientOrderID).sort(\.$filledAtMs).all()
            .map(Self.fill)
    }

    public func tradeFills(entryID: UUID) async throws -> [TradeFill] {
        let db = try store.db()
        let legs = try await ExecutionLegModel.query(on: db).filter(\.$entryID == entryID).all()
        guard !legs.isEmpty else { return [] }
        let fills = try await FillModel.query(on: db).filter(\.$id ~~ legs.map(\.fillID)).all()
        let byID = Dictionary(fills.compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { first, _ in first })
        return try legs.compactMap { leg -> TradeFill? in
            guard let fill = byID[leg.fillID], let effect = ExecutionLeg.Effect(rawValue: leg.effect) else { return nil }
            return TradeFill(
                fillID: leg.fillID, clientOrderID: fill.clientOrderID, effect: effect,
                quantity: try DecimalColumns.decimal(leg.quantity, column: "quantity", row: leg.id),
                price: try DecimalColumns.decimal(leg.price, column: "price", row: leg.id),
                time: Date(epochMilliseconds: fill.filledAtMs))
        }.sorted { ($0.time, $0.fillID) < ($1.time, $1.fillID) }
    }

    public func fills(since time: Date) async throws -> [Fill] {
        try await FillModel.query(on: store.db()).filter(\.$filledAtMs >= time.epochMilliseconds).sort(\.$filledAtMs).all()
            .map(Self.fill)
    }

    static func fill(_ model: FillModel) throws -> Fill {
        Fill(
            id: model.id ?? "", clientOrderID: model.clientOrderID, symbol: Symbol(trusted: model.symbol),
            action: OrderAction(rawValue: model.action) ?? .buy,
            quantity: try DecimalColumns.decimal(model.quantity, column: "quantity", row: nil),
            price: try DecimalColumns.decimal(model.price, column: "price", row: nil),
            commission: try DecimalColumns.decimal(model.commission, column: "commission", row: nil),
            time: Date(epochMilliseconds: model.filledAtMs))
    }
}

/// Converts between `BrokerOrder` and its row.
enum OrderMapping {
    static func copy(_ order: BrokerOrder, into model: OrderModel) {
        let request = order.request
        model.brokerOrderID = order.brokerOrderID
        model.symbol = request.symbol.rawValue
        model.action = request.action.rawValue
        model.quantity = DecimalColumns.text(request.quantity)
        model.type = request.type.rawValue
        model.duration = request.duration.rawValue
        model.limitPrice = request.limitPrice.map(DecimalColumns.text)
        model.stopPrice = request.stopPrice.map(DecimalColumns.text)
        model.planID = request.planID
        model.bracketRole = request.bracketRole?.rawValue
        model.status = order.status.rawValue
        model.isFinal = order.status.isFinal
        model.filledQuantity = DecimalColumns.text(order.filledQuantity)
        model.averageFillPrice = order.averageFillPrice.map(DecimalColumns.text)
        model.reason = order.reason
        model.createdAtMs = order.createdAt.epochMilliseconds
        model.updatedAtMs = order.updatedAt.epochMilliseconds
    }

    static func record(from model: OrderModel) throws -> OrderRecord {
        func decimal(_ text: String, _ column: String) throws -> Decimal {
            try DecimalColumns.decimal(text, column: column, row: nil)
        }
        guard let id = model.id, let action = OrderAction(rawValue: model.action), let type = OrderType(rawValue: model.type),
              let duration = OrderDuration(rawValue: model.duration), let status = OrderStatus(rawValue: model.status)
        else { throw StoredDataError("order \(model.id ?? "?") has an unknown action, type, duration or status") }
        let request = OrderRequest(
            symbol: Symbol(trusted: model.symbol), action: action, quantity: try decimal(model.quantity, "quantity"),
            type: type, duration: duration, limitPrice: try model.limitPrice.map { try decimal($0, "limit_price") },
            stopPrice: try model.stopPrice.map { try decimal($0, "stop_price") }, planID: model.planID,
            bracketRole: model.bracketRole.flatMap(BracketRole.init(rawValue:)))
        let order = BrokerOrder(
            clientOrderID: id, brokerOrderID: model.brokerOrderID, request: request, status: status,
            filledQuantity: try decimal(model.filledQuantity, "filled_quantity"),
            averageFillPrice: try model.averageFillPrice.map { try decimal($0, "average_fill_price") },
            reason: model.reason, createdAt: Date(epochMilliseconds: model.createdAtMs),
            updatedAt: Date(epochMilliseconds: model.updatedAtMs))
        return OrderRecord(order: order, confirmationToken: model.confirmationToken, parentID: model.parentID, broker: model.broker)
    }
}

/// Whole documents stored by name (the paper broker's ledger, the risk state), replaced atomically.
public struct FluentDocumentStore: PaperLedgerStore {
    let store: Store
    let name: String

    public init(store: Store, name: String) {
        self.store = store
        self.name = name
    }

    public func load() async throws -> Data? {
        try await DocumentModel.find(name, on: store.db()).map { Data($0.body.utf8) }
    }

    public func save(_ document: Data) async throws {
        let db = try store.db()
        let model = try await DocumentModel.find(name, on: db) ?? {
            let fresh = DocumentModel()
            fresh.id = name
            return fresh
        }()
        model.body = String(decoding: document, as: UTF8.self)
        model.updatedAtMs = Date().epochMilliseconds
        try await model.save(on: db)
    }

    public func loadPaperLedger() async throws -> Data? { try await load() }
    public func savePaperLedger(_ document: Data) async throws { try await save(document) }
}
