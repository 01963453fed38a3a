import Coach
import Foundation
import TradingEngine

/// Chooses the coach backend from the configuration (`TA_COACH`, defaulting by which keys are set).
enum CoachWiring {
    static func makeBackend(config: AppConfig, loggers: LoggerFactory) throws -> any CoachBackend {
        do {
            switch config.coach {
            case .builtin:
                return BuiltInCoach()
            case .openai:
                return try OpenAICompatibleCoach(
                    baseURL: config.openAIBaseURL ?? "", apiKey: config.openAIAPIKey, model: config.coachModel,
                    maxToolRounds: config.coachMaxRounds, logger: loggers.make("coach"))
            case .chatdata:
                return try ChatDataCoach(
                    baseURL: config.chatDataBaseURL, apiKey: config.chatDataAPIKey ?? "", chatbotID: config.chatDataChatbotID ?? "",
                    baseModel: config.chatDataModel, logger: loggers.make("coach"))
            }
        } catch let error as CoachBackendError {
            throw ConfigError("TA_COACH", "could not be set up: \(error.description)")
        }
    }
}
