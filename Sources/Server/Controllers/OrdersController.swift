import APIInput
import Foundation
import Hummingbird
import TradingDomain
import TradingEngine

/// The order desk over HTTP: account, positions, orders, preview → confirm → place, cancel, and
/// `GET /api/v1/diag/broker`.
struct OrdersController {
    let desk: OrderDesk
    let quotes: QuoteCache
    /// Today's fills and previous closes, for each position's day P&L.
    let day: DayActivityReader
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("account") { _, _ in
            JSONResponse(AccountDTO(try await brokerCall { try await desk.broker.account() }, broker: desk.broker, simulatedPrices: desk.simulatedPrices))
        }
        group.get("positions") { _, _ in
            let (positions, brokerOrders) = try await brokerCall { try await day.read(desk.broker, now: clock.now()) }
            let activity = try await day.activity(positions: positions, brokerOrders: brokerOrders, now: clock.now())
            return JSONResponse(["positions": positions.map { PositionDTO($0, quote: quotes.quote(for: $0.symbol), day: activity) }])
        }
        group.get("orders") { request, _ in
            let query = try Self.query(request.uri.queryParameters)
            return JSONResponse(["orders": try await desk.list(query).map(OrderDTO.init)])
        }
        group.get("orders/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let record = try await desk.order(id: id.lowercased()) else { throw Problem.notFound("no order with id '\(id)'") }
            return JSONResponse(OrderDTO(record, fills: try await desk.fills(of: record.id)))
        }
        group.post("orders/preview") { request, context in
            let body = try await request.jsonBody(context: context)
            do {
                if let original = try OrderInput.resendOf(body) {
                    return JSONResponse(PreviewDTO(try await desk.previewResend(of: original)))
                }
                return JSONResponse(PreviewDTO(try await desk.preview(try OrderInput.ticket(body))))
            } catch let error as OrderDeskError {
                throw Self.problem(error)
            }
        }
        group.post("orders/:id/check") { _, context in
            let id = try context.parameters.require("id").lowercased()
            do {
                return JSONResponse(OrderDTO(try await desk.checkAgain(clientOrderID: id), fills: try await desk.fills(of: id)))
            } catch let error as OrderDeskError {
                throw Self.problem(error)
            }
        }
        group.post("orders") { request, context in
            var errors = FieldErrors()
            let body = try await request.jsonBody(context: context)
            guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
            let token = reader.string("confirmation_token", errors: &errors, maxLength: 128, allowEmpty: false).value
            reader.rejectUnknownKeys(errors: &errors)
            if token == nil, !errors.errors.contains(where: { $0.field == "confirmation_token" }) {
                errors.add("confirmation_token", "is required: preview the order first (POST /api/v1/orders/preview)")
            }
            try errors.throwIfAny()
            do {
                let (record, created) = try await desk.place(confirmationToken: token!)
                var headers = HTTPFields()
                headers[.location] = "/api/v1/orders/\(record.id)"
                return JSONResponse(OrderDTO(record), status: created ? .created : .ok, headers: headers)
            } catch let error as OrderDeskError {
                throw Self.problem(error)
            }
        }
        group.delete("orders/:id") { _, context in
            let id = try context.parameters.require("id").lowercased()
            do {
                return JSONResponse(OrderDTO(try await desk.cancel(clientOrderID: id)), status: .accepted)
            } catch let error as OrderDeskError {
                throw Self.problem(error)
            }
        }
        group.get("diag/broker") { _, _ in
            JSONResponse(BrokerDiagnostics(desk: desk))
        }
    }

    func brokerCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as BrokerError {
            throw Self.problem(.broker(error, order: nil))
        }
    }

    static func query(_ parameters: Parameters) throws -> OrderQuery {
        var errors = FieldErrors()
        var query = OrderQuery()
        parameters.rejectUnknown(allowed: ["status", "symbol", "limit"], errors: &errors)
        if let text = parameters.get("status") {
            var statuses: [OrderStatus] = []
            for part in text.split(separator: ",") {
                if part == "working" {
                    statuses += OrderStatus.working
                } else if let status = OrderStatus(rawValue: String(part)) {
                    statuses.append(status)
                } else {
                    errors.add("status", "must be 'working' or a comma list of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            query.status = statuses
        }
        if let symbol = parameters.get("symbol") { query.symbol = errors.collect { try Symbol(validating: symbol) } }
        if let limit = parameters.get("limit") {
            if let value = Int(limit), (1...500).contains(value) { query.limit = value } else {
                errors.add("limit", "must be a whole number from 1 to 500")
            }
        }
        try errors.throwIfAny()
        return query
    }

    /// How each refusal reaches the user: never a 500.
    static func problem(_ error: OrderDeskError) -> Problem {
        switch error {
        case .checksFailed(let checks):
            var problem = Problem(
                .unprocessableContent, code: "pre_trade_check_failed", title: "Order refused by pre-trade checks",
                detail: checks.filter { $0.outcome == .fail }.map { "\($0.name): \($0.detail)" }.joined(separator: "; "))
            problem.checks = checks
            return problem
        case .confirmationInvalid(let detail):
            return Problem(.conflict, code: "confirmation_invalid", detail: detail)
        case .blocked(let code, let reason):
            return Problem(.conflict, code: code, title: "New orders are blocked", detail: reason)
        case .notFound(let detail):
            return .notFound(detail)
        case .notCancellable(let record):
            var problem = Problem(.conflict, code: "order_final", detail: "order \(record.id) is already \(record.order.status.rawValue)")
            problem.orderID = record.id
            return problem
        case .plan(let detail):
            return .validation(ValidationFailure(field: "plan_id", message: detail))
        case .notUnknown(let record):
            var problem = Problem(.conflict, code: "order_not_unknown",
                                  detail: "order \(record.id) is \(record.order.status.rawValue); only an entry order whose outcome is unknown can be sent again")
            problem.orderID = record.id
            return problem
        case .broker(let error, let order):
            var problem: Problem
            switch error {
            case .rejected(let code, let reason):
                problem = Problem(.unprocessableContent, code: "broker_rejected", title: "The broker rejected the order",
                                  detail: "\(reason) (\(code))")
            case .notFound(let detail):
                problem = Problem(.notFound, code: "broker_not_found", detail: detail)
            case .rateLimited:
                problem = Problem(.serviceUnavailable, code: "broker_rate_limited", detail: error.description)
            case .outcomeUnknown:
                problem = Problem(.serviceUnavailable, code: "broker_outcome_unknown", title: "The broker's answer was lost",
                                  detail: error.description + (order.map {
                                      "; order \($0.id) is 'unknown' and is looked up at the broker by its tag; it is never sent again without your confirmation"
                                  } ?? ""))
            case .unavailable, .unauthorized, .malformed:
                problem = Problem(.serviceUnavailable, code: "broker_unavailable", detail: error.description
                    + (order.map { "; order \($0.id) is kept and its outcome will be checked with the broker" } ?? ""))
            }
            problem.orderID = order?.id
            return problem
        }
    }
}
