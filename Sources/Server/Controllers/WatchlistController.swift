import Hummingbird
import TradingDomain
import TradingEngine

/// The watchlist: `GET`, `PUT` (replace), `POST {symbol}` (append), `DELETE /{symbol}`.
struct WatchlistController {
    let repository: any WatchlistRepository

    struct Body: Encodable, Sendable {
        var symbols: [Symbol]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("watchlist") { _, _ in
            JSONResponse(Body(symbols: try await repository.list()))
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
            try await repository.replace(with: list?.symbols ?? [])
            return JSONResponse(Body(symbols: try await repository.list()))
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
            let current = try await repository.list()
            if !current.contains(symbol), current.count >= Watchlist.maxSymbols {
                throw ValidationFailure(field: "symbol", message: "the watchlist is full (\(Watchlist.maxSymbols) symbols)")
            }
            let added = try await repository.add(symbol)
            return JSONResponse(Body(symbols: try await repository.list()), status: added ? .created : .ok)
        }
        group.delete("watchlist/:symbol") { _, context in
            let raw = try context.parameters.require("symbol")
            let symbol = try Symbol(validating: raw)
            guard try await repository.remove(symbol) else {
                throw Problem.notFound("\(symbol) is not on the watchlist")
            }
            return Response(status: .noContent)
        }
    }
}
