import APIInput
import Foundation
import Testing
import TradingDomain

/// The schema subset the coach's tools use, checked against hand-written arguments.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let quotes = """
        {"type":"object","properties":{"symbols":{"type":"array","items":{"type":"string","minLength":1,"maxLength":10},
         "minItems":1,"maxItems":20}},"required":["symbols"],"additionalProperties":false}
        """

    static let plan = """
        {"type":"object","additionalProperties":false,"required":["symbol","side","entry","stop"],
         "properties":{"symbol":{"type":"string","minLength":1},"side":{"type":"string","enum":["long","short"]},
          "entry":{"type":"number","exclusiveMinimum":0},"stop":{"type":"number","exclusiveMinimum":0},
          "targets":{"type":"array","items":{"type":"number","exclusiveMinimum":0},"maxItems":3},
          "quantity":{"type":"integer","minimum":1,"maximum":100000},
          "asset_class":{"type":"string","enum":["equity","option"]}}}
        """

    func errors(_ value: String, _ schema: String) throws -> [FieldError] {
        JSONSchemaValidator.validate(try Self.json(value), against: try Self.json(schema))
    }

    @Test func validArgumentsGiveNoErrors() throws {
        #expect(try errors(#"{"symbols":["AAPL","MSFT"]}"#, Self.quotes).isEmpty)
        #expect(try errors(#"{"symbol":"NVDA","side":"short","entry":900,"stop":920.5,"targets":[850],"quantity":3}"#, Self.plan).isEmpty)
    }

    @Test func requiredAndUnknownFieldsAreReported() throws {
        let found = try errors(#"{"symbol":"AAPL","sid":"long"}"#, Self.plan)
        let fields = Set(found.map(\.field))
        #expect(fields == ["side", "entry", "stop", "sid"])
        #expect(found.contains(FieldError(field: "sid", message: "is not a known field")))
        #expect(found.contains(FieldError(field: "entry", message: "is required")))
    }

    @Test func arrayElementsHaveIndexedPaths() throws {
        let found = try errors(#"{"symbols":["AAPL",7,""]}"#, Self.quotes)
        #expect(found == [
            FieldError(field: "symbols[1]", message: "must be a string, not a number"),
            FieldError(field: "symbols[2]", message: "must not be empty"),
        ])
    }

    @Test func itemCountsAreChecked() throws {
        #expect(try errors(#"{"symbols":[]}"#, Self.quotes) == [FieldError(field: "symbols", message: "must have at least 1 item")])
        let many = "[" + (1...21).map { _ in "\"A\"" }.joined(separator: ",") + "]"
        #expect(try errors(#"{"symbols":\#(many)}"#, Self.quotes) == [FieldError(field: "symbols", message: "must have at most 20 items")])
    }

    @Test func enumsAndBoundsAreChecked() throws {
        let found = try errors(#"{"symbol":"AAPL","side":"up","entry":0,"stop":-1,"targets":[0,1],"quantity":0}"#, Self.plan)
        #expect(found.contains(FieldError(field: "side", message: "must be one of 'long', 'short'")))
        #expect(found.contains(FieldError(field: "entry", message: "must be greater than 0")))
        #expect(found.contains(FieldError(field: "stop", message: "must be greater than 0")))
        #expect(found.contains(FieldError(field: "targets[0]", message: "must be greater than 0")))
        #expect(found.contains(FieldError(field: "quantity", message: "must be at least 1")))
        #expect(found.count == 5)
    }

    @Test func integerRejectsFractionsButAcceptsWholeDecimals() throws {
        #expect(try errors(#"{"symbol":"A","side":"long","entry":1,"stop":1,"quantity":2.5}"#, Self.plan)
            == [FieldError(field: "quantity", message: "must be an integer, not a number")])
        #expect(try errors(#"{"symbol":"A","side":"long","entry":1,"stop":1,"quantity":2.0}"#, Self.plan).isEmpty)
        #expect(try errors(#"{"symbol":"A","side":"long","entry":1,"stop":1,"quantity":100001}"#, Self.plan)
            == [FieldError(field: "quantity", message: "must be at most 100000")])
    }

    @Test func wrongRootTypeIsOneError() throws {
        #expect(try errors(#"["AAPL"]"#, Self.quotes) == [FieldError(field: "arguments", message: "must be an object, not an array")])
        #expect(JSONSchemaValidator.validate(.null, against: try Self.json(Self.quotes), rootName: "body")
            == [FieldError(field: "body", message: "must be an object, not null")])
    }

    @Test func wrongTypeSkipsThatTypesKeywords() throws {
        let found = try errors(#"{"symbols":"AAPL"}"#, Self.quotes)
        #expect(found == [FieldError(field: "symbols", message: "must be an array, not a string")])
    }

    @Test func nestedObjectsUseDottedPaths() throws {
        let schema = """
            {"type":"object","properties":{"risk":{"type":"object","required":["max_daily_loss"],"additionalProperties":false,
             "properties":{"max_daily_loss":{"type":"number","minimum":0,"maximum":100}}}}}
            """
        #expect(try errors(#"{"risk":{"max_daily_loss":101,"x":1}}"#, schema) == [
            FieldError(field: "risk.max_daily_loss", message: "must be at most 100"),
            FieldError(field: "risk.x", message: "is not a known field"),
        ])
        #expect(try errors(#"{"risk":{}}"#, schema) == [FieldError(field: "risk.max_daily_loss", message: "is required")])
        #expect(try errors(#"{"other":true}"#, schema).isEmpty, "additional properties are allowed unless refused")
    }

    @Test func exclusiveMaximumAndDraft4Booleans() throws {
        #expect(try errors("100", #"{"type":"number","exclusiveMaximum":100}"#) == [FieldError(field: "arguments", message: "must be less than 100")])
        #expect(try errors("0", #"{"type":"number","minimum":0,"exclusiveMinimum":true}"#) == [FieldError(field: "arguments", message: "must be greater than 0")])
        #expect(try errors("0.01", #"{"type":"number","minimum":0,"exclusiveMinimum":true}"#).isEmpty)
    }

    @Test func typeListsConstUniqueAndLengths() throws {
        #expect(try errors("null", #"{"type":["string","null"]}"#).isEmpty)
        #expect(try errors("3", #"{"type":["string","null"]}"#) == [FieldError(field: "arguments", message: "must be a string or null, not a number")])
        #expect(try errors(#""b""#, #"{"const":"a"}"#) == [FieldError(field: "arguments", message: "must be 'a'")])
        #expect(try errors(#"[1,1]"#, #"{"type":"array","uniqueItems":true}"#) == [FieldError(field: "arguments", message: "must not repeat an item")])
        #expect(try errors(#""abcdef""#, #"{"type":"string","maxLength":5,"minLength":2}"#) == [FieldError(field: "arguments", message: "must be at most 5 characters")])
        #expect(try errors(#""é""#, #"{"type":"string","maxLength":1}"#).isEmpty, "length counts characters, not bytes")
    }

    @Test func booleanSchemasAndRequireThrows() throws {
        #expect(JSONSchemaValidator.validate(.string("x"), against: .bool(true)).isEmpty)
        #expect(JSONSchemaValidator.validate(.string("x"), against: .bool(false)) == [FieldError(field: "arguments", message: "is not allowed")])
        #expect(throws: ValidationFailure.self) {
            try JSONSchemaValidator.require(try Self.json(#"{"symbols":[]}"#), conformsTo: try Self.json(Self.quotes))
        }
    }
}
