import Foundation
import TradingDomain

/// Reading and patching a saved plan from API input.
extension SavedPlan {
    /// The fields a saved plan is made of (sizing inputs and market context are not stored).
    public static let fields: Set<String> = [
        "symbol", "side", "asset_class", "entry", "stop", "targets", "quantity", "thesis", "timeframe",
    ]

    /// Reads a plan to save: only plan fields, and it must pass validation (errors name each field).
    public static func readPlan(_ body: JSONValue) throws(ValidationFailure) -> TradePlan {
        var errors = FieldErrors()
        if case .object(let object) = body {
            for key in object.keys.sorted() where !fields.contains(key) {
                errors.add(key, "is not a field of a saved plan (allowed: \(fields.sorted().joined(separator: ", ")))")
            }
        }
        try errors.throwIfAny()
        let plan = try PlanningInput.plan(body, defaults: nil).plan
        try PlanValidator.validate(plan)
        return plan
    }

    /// Applies a JSON merge patch to the plan and checks the result like a new plan.
    public func applying(patch: JSONValue, now: Date) throws(ValidationFailure) -> SavedPlan {
        guard case .object = patch else {
            throw ValidationFailure(field: "body", message: "must be a JSON object, not a \(patch.typeName)")
        }
        var result = self
        result.plan = try Self.readPlan(plan.jsonValue.merging(patch: patch))
        result.updatedAt = now
        return result
    }
}

extension TradePlan {
    /// The plan as the JSON object `SavedPlan.readPlan` reads.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "symbol": .string(symbol.rawValue), "side": .string(side.rawValue), "asset_class": .string(assetClass.rawValue),
            "entry": .number(entry), "stop": .number(stop), "targets": .array(targets.map(JSONValue.number)),
        ]
        if let quantity { object["quantity"] = .number(quantity) }
        if let thesis { object["thesis"] = .string(thesis) }
        if let timeframe { object["timeframe"] = .string(timeframe) }
        return .object(object)
    }
}

extension JSONValue {
    /// RFC 7396 JSON merge patch: objects merge key by key, `null` removes a key, anything else replaces.
    public func merging(patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, change) in changes {
            if change == .null {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).merging(patch: change)
            }
        }
        return .object(result)
    }
}
