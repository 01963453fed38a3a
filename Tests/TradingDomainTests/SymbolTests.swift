import Testing
import TradingDomain

@Suite("Symbol")
struct SymbolTests {
    @Test("accepts and upper-cases tickers and OCC option symbols", arguments: [
        ("aapl", "AAPL"), (" msft ", "MSFT"), ("brk.b", "BRK.B"), ("BRK/B", "BRK/B"), ("X", "X"),
        ("aapl230616c00150000", "AAPL230616C00150000"), ("SPY241220P00450000", "SPY241220P00450000"),
    ])
    func accepts(input: String, expected: String) throws {
        let symbol = try Symbol(validating: input)
        #expect(symbol.rawValue == expected)
    }

    @Test("rejects what is not a symbol, naming the field", arguments: [
        "", "   ", "1ABC", "AA PL", "ABCDEFGHIJK", "$$$", "AAPL.", "ÄPFEL", "AAPL230616X00150000", "<script>",
    ])
    func rejects(input: String) {
        #expect(throws: ValidationFailure.self) { try Symbol(validating: input, field: "legs[0].symbol") }
        do {
            _ = try Symbol(validating: input, field: "legs[0].symbol")
        } catch {
            #expect(error.errors.first?.field == "legs[0].symbol")
        }
    }

    @Test("knows options from equities")
    func optionDetection() throws {
        #expect(try Symbol(validating: "AAPL230616C00150000").isOption)
        #expect(!(try Symbol(validating: "AAPL").isOption))
    }
}
