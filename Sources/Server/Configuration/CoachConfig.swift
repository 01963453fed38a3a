import Foundation

/// The coach's backend (`TA_COACH*`, `CHATDATA_*`, `OPENAI_*`; docs/coach.md).
public struct CoachConfig: Sendable {
    public enum Backend: String, Sendable, CaseIterable { case builtin, chatdata, openai }

    /// Chat Data (chat-data.com).
    public struct ChatData: Sendable {
        public var apiKey: String?
        public var chatbotID: String?
        public var baseURL: String = "https://api.chat-data.com"
        public var model: String?
        public init() {}
    }

    /// An OpenAI-compatible server (OpenAI, Ollama, llama.cpp).
    public struct OpenAI: Sendable {
        public var baseURL: String?
        public var apiKey: String?
        public init() {}
    }

    /// `openai` when OPENAI_BASE_URL is set, else `chatdata` with CHATDATA_API_KEY, else the
    /// built-in coach; TA_COACH chooses explicitly.
    public var backend: Backend = .builtin
    public var model: String = "gpt-4o-mini"
    public var maxRounds: Int = 4
    public var chatData = ChatData()
    public var openAI = OpenAI()

    public init() {}

    /// Reads the `ta.coach`, `chatdata` and `openai` scopes and `TA_COACH` itself.
    static func read(_ root: ConfigScope) -> CoachConfig {
        var config = CoachConfig()
        let chatData = root.scoped("chatdata"), openAI = root.scoped("openai"), coach = root.scoped("ta.coach")
        config.chatData.apiKey = chatData.text("api.key")
        config.chatData.chatbotID = chatData.text("chatbot.id")
        if let base = chatData.url("base.url", schemes: ["http", "https"]) { config.chatData.baseURL = base }
        config.chatData.model = chatData.text("model")
        if config.chatData.apiKey != nil && config.chatData.chatbotID == nil {
            chatData.record(ConfigError(chatData.variable("chatbot.id"), "is required when CHATDATA_API_KEY is set"))
        }
        config.openAI.baseURL = openAI.url("base.url", schemes: ["http", "https"], example: "http://127.0.0.1:11434/v1")
        config.openAI.apiKey = openAI.text("api.key")
        if let model = coach.text("model") { config.model = model }
        if let rounds = coach.integer("max.rounds", 1...20) { config.maxRounds = rounds }
        config.backend = config.openAI.baseURL != nil ? .openai : (config.chatData.apiKey != nil ? .chatdata : .builtin)
        if let backend = root.choice("ta.coach", Backend.self) { config.backend = backend }
        if config.backend == .openai && config.openAI.baseURL == nil {
            root.record(ConfigError("TA_COACH", "is 'openai', which needs OPENAI_BASE_URL"))
        }
        if config.backend == .chatdata && config.chatData.apiKey == nil {
            root.record(ConfigError("TA_COACH", "is 'chatdata', which needs CHATDATA_API_KEY and CHATDATA_CHATBOT_ID"))
        }
        return config
    }

    var summary: [String: String?] {
        ["CHATDATA_API_KEY": AppConfig.redacted(chatData.apiKey), "CHATDATA_CHATBOT_ID": chatData.chatbotID,
         "CHATDATA_BASE_URL": chatData.baseURL, "CHATDATA_MODEL": chatData.model, "TA_COACH": backend.rawValue,
         "OPENAI_BASE_URL": openAI.baseURL, "OPENAI_API_KEY": AppConfig.redacted(openAI.apiKey),
         "TA_COACH_MODEL": model, "TA_COACH_MAX_ROUNDS": String(maxRounds)]
    }
}
