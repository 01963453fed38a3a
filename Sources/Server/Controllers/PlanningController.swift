import Hummingbird
import TradingDomain
import TradingEngine

/// `POST /api/v1/plan/validate` and `POST /api/v1/sizing/suggest`.
struct PlanningController {
    let service: PlanningService

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("plan/validate") { request, context in
            JSONResponse(try await service.evaluate(try await request.jsonBody(context: context)))
        }
        group.post("sizing/suggest") { request, context in
            JSONResponse(try await service.suggestSize(try await request.jsonBody(context: context)))
        }
    }
}
