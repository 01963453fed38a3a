/// One error or warning about a plan or a sizing request, as the API returns it:
/// `{code, field?, message}`.
///
/// `code` is stable (clients may switch on it); `field` is the snake_case JSON path of the input
/// concerned (`stop`, `targets[1]`), absent when the issue is about the plan as a whole;
/// `message` is for people and may change wording.
public struct PlanningIssue: Sendable, Hashable, Codable {
    public var code: String
    public var field: String?
    public var message: String

    public init(code: String, field: String?, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }
}
