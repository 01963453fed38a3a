import AsyncHTTPClient
import Coach
import Foundation
import TradingEngine

/// Chooses the coach backend from the configuration (`TA_COACH`, defaulting by which keys are set).
enum CoachWiring {
    static func makeBackend(config: AppConfig, http: HTTPClient, loggers: LoggerFactory) throws -> any CoachBackend {
        do {
            switch config.coach.backend {
            case .builtin:
                return BuiltInCoach()
            case .openai:
                return try OpenAICompatibleCoach(
                    baseURL: config.coach.openAI.baseURL ?? "", apiKey: config.coach.openAI.apiKey, model: config.coach.model,
                    maxToolRounds: config.coach.maxRounds, http: http, logger: loggers.make("coach"))
            case .chatdata:
                return try ChatDataCoach(
                    baseURL: config.coach.chatData.baseURL, apiKey: config.coach.chatData.apiKey ?? "", chatbotID: config.coach.chatData.chatbotID ?? "",
                    baseModel: config.coach.chatData.model, http: http, logger: loggers.make("coach"))
            }
        } catch let error as CoachBackendError {
            throw ConfigError("TA_COACH", "could not be set up: \(error.description)")
        }
    }
}
