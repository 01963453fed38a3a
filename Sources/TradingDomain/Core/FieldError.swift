/// One problem with one input field, reported to the user as `{field, message}`.
///
/// `field` is a JSON path in snake_case as the client sent it (`risk.max_daily_loss`,
/// `targets[1]`), so a form can highlight the exact input.
public struct FieldError: Sendable, Hashable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Input that broke one or more rules. Every violation is listed, not only the first.
public struct ValidationFailure: Error, Sendable, Hashable {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public init(field: String, message: String) {
        self.errors = [FieldError(field: field, message: message)]
    }
}

/// Collects field errors while a value is being checked, so all of them can be reported at once.
public struct FieldErrors: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public var isEmpty: Bool { errors.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    public mutating func append(contentsOf other: [FieldError]) {
        errors.append(contentsOf: other)
    }

    /// Runs `body`, and records its `ValidationFailure` (if any) instead of throwing.
    public mutating func collect<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let failure as ValidationFailure {
            errors.append(contentsOf: failure.errors)
            return nil
        } catch {
            return nil
        }
    }

    /// Throws a `ValidationFailure` holding every recorded error, if there is any.
    public func throwIfAny() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
