import Foundation
import TradingDomain

/// Checks a `JSONValue` against the small JSON Schema subset that the coach's tools use, and
/// reports every violation (not only the first) as `FieldError`s whose `field` is a JSON path in
/// the caller's spelling (`symbols[0]`, `plan.targets[1]`).
///
/// Supported keywords: `type` (a name or a list of names: `object`, `array`, `string`, `number`,
/// `integer`, `boolean`, `null`), `properties`, `required`, `additionalProperties` (`false`, or a
/// schema for the extra keys), `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`,
/// `exclusiveMaximum` (numbers, or the draft-4 booleans), `minLength`, `maxLength` (counted in
/// Unicode scalars), `minItems`, `maxItems`, `uniqueItems` and `items` (one schema for every
/// element). Other keywords (`description`, `title`, `default`, `format`, …) are ignored.
/// When the type is wrong, the keywords of that type are not checked, so one mistake gives one error.
public enum JSONSchemaValidator {
    /// Every way `value` breaks `schema`; empty when it conforms.
    ///
    /// - Parameters:
    ///   - path: the JSON path of `value` itself; empty for the root.
    ///   - rootName: the field name used for errors about the root value (`"arguments"` by default).
    public static func validate(
        _ value: JSONValue, against schema: JSONValue, path: String = "", rootName: String = "arguments"
    ) -> [FieldError] {
        var errors = FieldErrors()
        check(value, schema: schema, path: path, rootName: rootName, errors: &errors)
        return errors.errors
    }

    /// Throws a `ValidationFailure` listing every violation, if there is any.
    public static func require(_ value: JSONValue, conformsTo schema: JSONValue, rootName: String = "arguments") throws(ValidationFailure) {
        let errors = validate(value, against: schema, rootName: rootName)
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    // MARK: paths

    static func child(_ path: String, key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func element(_ path: String, index: Int) -> String {
        "\(path)[\(index)]"
    }

    // MARK: checking

    private static func check(_ value: JSONValue, schema: JSONValue, path: String, rootName: String, errors: inout FieldErrors) {
        // `true`/`{}` accept everything; `false` accepts nothing.
        if case .bool(let accepts) = schema {
            if !accepts { errors.add(field(path, rootName), "is not allowed") }
            return
        }
        guard case .object(let keywords) = schema else { return }
        let name = field(path, rootName)

        if let types = typeNames(keywords["type"]), !types.contains(where: { matches(value, type: $0) }) {
            let expected = types.map(article).joined(separator: " or ")
            errors.add(name, "must be \(expected), not \(value.typeName == "null" ? "null" : article(value.typeName))")
            return
        }
        if let allowed = keywords["enum"], case .array(let options) = allowed, !options.contains(value) {
            errors.add(name, "must be one of \(options.map(display).joined(separator: ", "))")
        }
        if let constant = keywords["const"], constant != value {
            errors.add(name, "must be \(display(constant))")
        }
        switch value {
        case .number(let number):
            checkNumber(number, keywords: keywords, field: name, errors: &errors)
        case .string(let text):
            checkString(text, keywords: keywords, field: name, errors: &errors)
        case .array(let items):
            checkArray(items, keywords: keywords, path: path, rootName: rootName, errors: &errors)
        case .object(let object):
            checkObject(object, keywords: keywords, path: path, rootName: rootName, errors: &errors)
        case .null, .bool:
            break
        }
    }

    private static func checkNumber(_ number: Decimal, keywords: [String: JSONValue], field: String, errors: inout FieldErrors) {
        let exclusiveMinFlag = keywords["exclusiveMinimum"].flatMap(boolValue) ?? false
        let exclusiveMaxFlag = keywords["exclusiveMaximum"].flatMap(boolValue) ?? false
        if let minimum = keywords["minimum"].flatMap(decimalValue) {
            if exclusiveMinFlag, number <= minimum {
                errors.add(field, "must be greater than \(minimum)")
            } else if number < minimum {
                errors.add(field, "must be at least \(minimum)")
            }
        }
        if let maximum = keywords["maximum"].flatMap(decimalValue) {
            if exclusiveMaxFlag, number >= maximum {
                errors.add(field, "must be less than \(maximum)")
            } else if number > maximum {
                errors.add(field, "must be at most \(maximum)")
            }
        }
        if let bound = keywords["exclusiveMinimum"].flatMap(decimalValue), number <= bound {
            errors.add(field, "must be greater than \(bound)")
        }
        if let bound = keywords["exclusiveMaximum"].flatMap(decimalValue), number >= bound {
            errors.add(field, "must be less than \(bound)")
        }
    }

    private static func checkString(_ text: String, keywords: [String: JSONValue], field: String, errors: inout FieldErrors) {
        let length = text.unicodeScalars.count
        if let minLength = keywords["minLength"].flatMap(intValue), length < minLength {
            errors.add(field, minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters")
        }
        if let maxLength = keywords["maxLength"].flatMap(intValue), length > maxLength {
            errors.add(field, "must be at most \(maxLength) characters")
        }
    }

    private static func checkArray(
        _ items: [JSONValue], keywords: [String: JSONValue], path: String, rootName: String, errors: inout FieldErrors
    ) {
        let name = field(path, rootName)
        if let minItems = keywords["minItems"].flatMap(intValue), items.count < minItems {
            errors.add(name, "must have at least \(minItems) item\(minItems == 1 ? "" : "s")")
        }
        if let maxItems = keywords["maxItems"].flatMap(intValue), items.count > maxItems {
            errors.add(name, "must have at most \(maxItems) item\(maxItems == 1 ? "" : "s")")
        }
        if keywords["uniqueItems"].flatMap(boolValue) == true, Set(items).count != items.count {
            errors.add(name, "must not repeat an item")
        }
        if let itemSchema = keywords["items"] {
            for (index, item) in items.enumerated() {
                check(item, schema: itemSchema, path: element(path, index: index), rootName: rootName, errors: &errors)
            }
        }
    }

    private static func checkObject(
        _ object: [String: JSONValue], keywords: [String: JSONValue], path: String, rootName: String, errors: inout FieldErrors
    ) {
        let properties = keywords["properties"]?.objectValue ?? [:]
        if case .array(let required) = keywords["required"] {
            for case .string(let key) in required where object[key] == nil {
                errors.add(child(path, key: key), "is required")
            }
        }
        for key in object.keys.sorted() {
            guard let value = object[key] else { continue }
            if let propertySchema = properties[key] {
                check(value, schema: propertySchema, path: child(path, key: key), rootName: rootName, errors: &errors)
                continue
            }
            switch keywords["additionalProperties"] {
            case .bool(false)?:
                errors.add(child(path, key: key), "is not a known field")
            case .object(let extra)?:
                check(value, schema: .object(extra), path: child(path, key: key), rootName: rootName, errors: &errors)
            default:
                break
            }
        }
    }

    // MARK: helpers

    private static func field(_ path: String, _ rootName: String) -> String {
        path.isEmpty ? rootName : path
    }

    private static func typeNames(_ value: JSONValue?) -> [String]? {
        switch value {
        case .string(let name)?: return [name]
        case .array(let names)?:
            let list = names.compactMap { name -> String? in
                if case .string(let text) = name { return text }
                return nil
            }
            return list.isEmpty ? nil : list
        default: return nil
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
             ("null", .null), ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.isWhole
        default:
            return false
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "null": "null"
        case "integer", "object", "array": "an \(type)"
        default: "a \(type)"
        }
    }

    private static func display(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "'\(text)'"
        case .number(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        case .null: "null"
        case .array, .object: value.typeName
        }
    }

    private static func decimalValue(_ value: JSONValue) -> Decimal? {
        if case .number(let number) = value { return number }
        return nil
    }

    private static func boolValue(_ value: JSONValue) -> Bool? {
        if case .bool(let flag) = value { return flag }
        return nil
    }

    private static func intValue(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value, number.isWhole, number >= 0, number < 1_000_000_000 else { return nil }
        return NSDecimalNumber(decimal: number).intValue
    }
}
