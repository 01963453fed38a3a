import APIInput
import Hummingbird
import TradingDomain
import TradingEngine

/// The watchlist: `GET`, `PUT` (replace), `POST {symbol}` (append), `DELETE /{symbol}`.
/// Changes reach the market-data feed at once (through `WatchlistService`).
struct WatchlistController {
    let service: WatchlistService

    struct Body: Encodable, Sendable {
        var symbols: [Symbol]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("watchlist") { _, _ in
            JSONResponse(Body(symbols: try await service.list()))
        }
        group.put("watchlist") { request, context in
            let body = try await request.jsonBody(context: context)
            var errors = FieldErrors()
            guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
            let list: Watchlist?
            switch reader.array("symbols", errors: &errors, maxCount: Watchlist.maxSymbols * 2) {
            case .value(let items): list = errors.collect { try Watchlist.validating(.array(items)) }
            case .null, .absent:
                if errors.isEmpty { errors.add("symbols", "is required") }
                list = nil
            }
            reader.rejectUnknownKeys(errors: &errors)
            try errors.throwIfAny()
            return JSONResponse(Body(symbols: try await service.replace(with: list?.symbols ?? [])))
        }
        group.post("watchlist") { request, context in
            let body = try await request.jsonBody(context: context)
            var errors = FieldErrors()
            guard var reader = ObjectReader.root(body, errors: &errors) else { throw ValidationFailure(errors.errors) }
            let symbol = reader.symbol("symbol", errors: &errors).value
            if symbol == nil && errors.isEmpty { errors.add("symbol", "is required") }
            reader.rejectUnknownKeys(errors: &errors)
            try errors.throwIfAny()
            guard let symbol else { throw ValidationFailure(errors.errors) }
            let current = try await service.list()
            if !current.contains(symbol), current.count >= Watchlist.maxSymbols {
                throw ValidationFailure(field: "symbol", message: "the watchlist is full (\(Watchlist.maxSymbols) symbols)")
            }
            let (added, symbols) = try await service.add(symbol)
            return JSONResponse(Body(symbols: symbols), status: added ? .created : .ok)
        }
        group.delete("watchlist/:symbol") { _, context in
            let raw = try context.parameters.require("symbol")
            let symbol = try Symbol(validating: raw)
            guard try await service.remove(symbol) else {
                throw Problem.notFound("\(symbol) is not on the watchlist")
            }
            return Response(status: .noContent)
        }
    }
}
