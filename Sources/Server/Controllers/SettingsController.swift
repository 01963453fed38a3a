import Hummingbird
import TradingDomain
import TradingEngine

/// `GET/PATCH /api/v1/settings`. PATCH is a JSON merge patch; every bad field is reported at once.
struct SettingsController {
    let service: SettingsService

    func register(on group: RouterGroup<AppRequestContext>) {
        // Reads show secrets masked (the Discord webhook token).
        group.get("settings") { _, _ in
            JSONResponse(try await service.current().masked)
        }
        group.patch("settings") { request, context in
            let patch = try await request.jsonBody(context: context)
            return JSONResponse(try await service.apply(patch: patch).masked)
        }
    }
}
