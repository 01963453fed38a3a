import Foundation
import Testing
import TradingDomain
@testable import Simulation

@Suite("Replay file parsing")
struct ReplayFileTests {
    @Test("a tick file: comments, blank lines, CRLF, both time forms, rows sorted by time, quotes before trades")
    func ticks() throws {
        let text = """
            # my recorded ticks\r
            time,symbol,price,size,bid,ask\r
            2025-03-10T13:30:01Z,AAPL,230.10,100,230.09,230.11\r
            \r
            1741613400500,spy,590.01,50,,\r
            2025-03-10T09:30:01-04:00,MSFT,420,7,419.99,420.02\r
            """
        let file = try ReplayFile.parse(text)
        #expect(file.kind == .ticks)
        #expect(file.events.count == 5)
        #expect(file.symbols == [Symbol(trusted: "AAPL"), Symbol(trusted: "SPY"), Symbol(trusted: "MSFT")])
        let spy = try #require(file.events[0].trade)
        #expect(spy.symbol.rawValue == "SPY")
        #expect(spy.time == utc("2025-03-10T13:30:00.500Z"))
        #expect(spy.price == Decimal(string: "590.01")! && spy.size == 50)
        let quote = try #require(file.events[1].quote)
        #expect(quote.symbol.rawValue == "AAPL" && quote.bid == Decimal(string: "230.09")! && quote.ask == Decimal(string: "230.11")!)
        #expect(quote.bidSize == 0 && quote.askSize == 0)
        #expect(file.events[2].trade?.price == Decimal(string: "230.1")!)
        #expect(file.events[3].quote?.symbol.rawValue == "MSFT")  // same time as AAPL: file order kept
        #expect(file.events[4].trade?.size == 7)
        #expect(file.firstEventTime == utc("2025-03-10T13:30:00.500Z"))
        #expect(file.lastEventTime == utc("2025-03-10T13:30:01Z"))
    }

    @Test("quote sizes are optional columns")
    func quoteSizes() throws {
        let file = try ReplayFile.parse("time,symbol,price,size,bid,ask,bid_size,ask_size\n1741613400000,AAPL,230,1,229.9,230.1,300,0\n")
        let quote = try #require(file.events.first?.quote)
        #expect(quote.bidSize == 300 && quote.askSize == 0)
    }

    @Test("a bar file with columns in another order, optional vwap and timespan")
    func bars() throws {
        let text = """
            symbol,time,close,open,low,high,volume,vwap,timespan
            AAPL,2025-03-10T13:31:00Z,230.5,230.0,229.9,230.6,12000,230.3,
            AAPL,2025-03-10T13:30:00Z,230.0,229.8,229.8,230.1,15000,,minute
            AAPL,2025-03-07T05:00:00Z,229.8,226,225.5,231,48000000,,DAY
            """
        let file = try ReplayFile.parse(text)
        #expect(file.kind == .bars)
        let bars = file.events.compactMap(\.bar)
        #expect(bars.count == 3)
        #expect(bars.map(\.timespan) == [.day, .minute, .minute])
        #expect(bars[1].start == utc("2025-03-10T13:30:00Z"))
        #expect([bars[2].open, bars[2].high, bars[2].low, bars[2].close, bars[2].volume] == [230, Decimal(string: "230.6")!, Decimal(string: "229.9")!, Decimal(string: "230.5")!, 12_000])
        #expect(bars[2].vwap == Decimal(string: "230.3")!)
        #expect(bars[1].vwap == nil)
        #expect(file.events.map(\.time) == file.events.map(\.time).sorted())
    }

    func failure(_ text: String, maxErrors: Int = 20) -> [FieldError] {
        do {
            let file = try ReplayFile.parse(text, maxErrors: maxErrors)
            Issue.record("expected a failure, parsed \(file.events.count) events")
            return []
        } catch {
            return error.errors
        }
    }

    @Test("header problems are reported on the header's line", arguments: [
        ("", "line 1", "empty"),
        ("# only a comment\n\n", "line 1", "empty"),
        ("when,what\n", "line 1", "header must be"),
        ("time,symbol,price,size,open\n", "line 1", "header must be"),
        ("time,symbol,price\n", "line 1", "no 'size' column"),
        ("time,symbol,open,high,low,close\n", "line 1", "no 'volume' column"),
        ("# comment\ntime,symbol,price,size,venue\n", "line 2", "unknown column 'venue'"),
        ("time,symbol,price,size,size\n", "line 1", "twice"),
        ("time,symbol,price,size,bid\n", "line 1", "must come together"),
        ("time,symbol,price,size\n", "file", "no data rows"),
    ])
    func headerErrors(text: String, field: String, message: String) {
        let errors = failure(text)
        #expect(errors.count == 1)
        #expect(errors.first?.field == field)
        #expect(errors.first?.message.contains(message) == true, "\(errors)")
    }

    @Test("each kind of bad tick row is reported with its line number", arguments: [
        ("2025-03-10T13:30:00Z,AAPL,230", "expected 4 fields"),
        ("2025-03-10 13:30:00,AAPL,230,100", "time must be ISO-8601"),
        ("2025-03-10T13:30:00,AAPL,230,100", "time must be ISO-8601"),
        ("2025-02-30T13:30:00Z,AAPL,230,100", "time must be ISO-8601"),
        ("1741613400,AAPL,230,100", "looks like seconds"),
        ("2025-03-10T13:30:00Z,1AAPL,230,100", "symbol '1AAPL'"),
        ("2025-03-10T13:30:00Z,AAPL,abc,100", "price must be a number"),
        ("2025-03-10T13:30:00Z,AAPL,1e3,100", "price must be a number"),
        ("2025-03-10T13:30:00Z,AAPL,0,100", "price must be greater than 0"),
        ("2025-03-10T13:30:00Z,AAPL,-1.5,100", "price must be greater than 0"),
        ("2025-03-10T13:30:00Z,AAPL,230,0", "size must be greater than 0"),
        ("2025-03-10T13:30:00Z,AAPL,230,", "size must be a number"),
    ])
    func badTickRows(row: String, message: String) {
        let errors = failure("time,symbol,price,size\n2025-03-10T13:29:00Z,AAPL,229,1\n\(row)\n")
        #expect(errors.map(\.field) == ["line 3"])
        #expect(errors.first?.message.contains(message) == true, "\(errors)")
    }

    @Test("bad quotes and bars are reported too", arguments: [
        ("time,symbol,price,size,bid,ask", "1741613400000,AAPL,230,1,230.2,230.1", "bid 230.2 is above ask 230.1"),
        ("time,symbol,price,size,bid,ask", "1741613400000,AAPL,230,1,230.2,", "ask must be a number"),
        ("time,symbol,open,high,low,close,volume", "1741613400000,AAPL,10,9,11,10,5", "low 11 is above high 9"),
        ("time,symbol,open,high,low,close,volume", "1741613400000,AAPL,12,11,9,10,5", "open and close must lie between"),
        ("time,symbol,open,high,low,close,volume", "1741613400000,AAPL,10,11,9,10,-5", "volume must be 0 or more"),
        ("time,symbol,open,high,low,close,volume,timespan", "1741613400000,AAPL,10,11,9,10,5,hour", "timespan must be"),
    ])
    func badQuoteAndBarRows(header: String, row: String, message: String) {
        let errors = failure("\(header)\n\(row)\n")
        #expect(errors.map(\.field) == ["line 2"])
        #expect(errors.first?.message.contains(message) == true, "\(errors)")
    }

    @Test("all bad rows are listed up to a cap, then counted")
    func manyErrors() {
        let rows = (0..<30).map { "2025-03-10T13:30:00Z,AAPL,x\($0),1" }.joined(separator: "\n")
        let errors = failure("time,symbol,price,size\n\(rows)\n", maxErrors: 5)
        #expect(errors.count == 6)
        #expect(errors.prefix(5).map(\.field) == ["line 2", "line 3", "line 4", "line 5", "line 6"])
        #expect(errors.last == FieldError(field: "file", message: "25 more lines have errors"))
    }

    @Test("load reads a file, and names TA_REPLAY_FILE when it cannot")
    func load() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ticks.csv").path
        try "time,symbol,price,size\n1741613400000,AAPL,230,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ReplayFile.load(path: path).events.count == 1)
        let error = #expect(throws: ValidationFailure.self) { try ReplayFile.load(path: path + ".missing") }
        #expect(error?.errors.first?.field == "TA_REPLAY_FILE")
    }
}

@Suite("docs/simulation.md")
struct SimulationDocsTests {
    @Test("the example replay files in the docs parse")
    func docExamples() throws {
        let docs = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/simulation.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let blocks = text.components(separatedBy: "```csv\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == 2)
        let ticks = try ReplayFile.parse(blocks[0])
        #expect(ticks.kind == .ticks)
        #expect(ticks.events.count == 5)
        #expect(ticks.events.last?.trade?.time == utc("2025-03-10T13:30:01Z"))
        let bars = try ReplayFile.parse(blocks[1])
        #expect(bars.kind == .bars)
        #expect(bars.events.compactMap(\.bar).map(\.close) == [230, Decimal(string: "230.5")!])
    }
}
