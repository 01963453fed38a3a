import Foundation
import Testing
import TradingDomain
import TradingEngine
@testable import Server

@Suite("WebSocket hub fan-out")
struct WebSocketHubTests {
    func quote(_ symbol: String, _ price: Decimal) -> Quote {
        var quote = Quote(symbol: Symbol(trusted: symbol), asOf: Date(), receivedAt: Date(), source: "test")
        quote.last = price
        return quote
    }

    @Test("a client that does not read keeps only the newest price per symbol; a reading client sees them as they come")
    func coalescesPrices() throws {
        let bus = EventBus()
        let hub = WebSocketHub(bus: bus)
        let slow = hub.connect()
        let fast = hub.connect()
        _ = hub.subscribe(slow, topics: ["prices"], on: true)
        _ = hub.subscribe(fast, topics: ["prices"], on: true)
        var fastFrames = 0
        for index in 0..<10_000 {
            bus.publish(.prices([quote(index % 2 == 0 ? "AAPL" : "MSFT", Decimal(index))]))
            if index % 100 == 99 { fastFrames += hub.drain(fast, now: Date()).frames.count }
        }
        let (frames, overflowed) = hub.drain(slow, now: Date())
        #expect(frames.count == 2, "one pending price per symbol, however many ticks")
        #expect(!overflowed)
        #expect(frames.contains { $0.contains(#""symbol":"AAPL","last":9998,"#) })
        #expect(frames.contains { $0.contains(#""symbol":"MSFT","last":9999,"#) })
        #expect(fastFrames == 200, "2 symbols × 100 drains")
        #expect(hub.drain(slow, now: Date()).frames.isEmpty, "nothing twice")
    }

    @Test("all clients get the same encoded frame for a change")
    func sharedEncoding() {
        let bus = EventBus()
        let hub = WebSocketHub(bus: bus)
        let a = hub.connect()
        let b = hub.connect()
        _ = hub.subscribe(a, topics: ["prices"], on: true)
        _ = hub.subscribe(b, topics: ["prices"], on: true)
        bus.publish(.prices([quote("AAPL", Decimal(string: "190.125")!)]))
        let first = hub.drain(a, now: Date()).frames
        let second = hub.drain(b, now: Date()).frames
        #expect(first == second)
        #expect(first.first?.contains(#""last":190.125"#) == true)
    }

    @Test("a client whose queue of other events passes the bound is marked for closing")
    func overflow() {
        let bus = EventBus()
        let hub = WebSocketHub(bus: bus, maxQueued: 10)
        let client = hub.connect()
        for index in 0..<11 {
            bus.publish(.status(StatusNotice(kind: "test", message: "\(index)")))
        }
        #expect(hub.drain(client, now: Date()).overflowed)
    }

    @Test("clients only get the topics they subscribed to; status reaches everyone")
    func topics() {
        let bus = EventBus()
        let hub = WebSocketHub(bus: bus)
        let client = hub.connect()
        #expect(hub.subscribe(client, topics: ["prices", "bogus"], on: true) == ["bogus"])
        _ = hub.subscribe(client, topics: ["prices"], on: false)
        bus.publish(.prices([quote("AAPL", 1)]))
        bus.publish(.status(StatusNotice(kind: "feed_live", message: "live")))
        let frames = hub.drain(client, now: Date()).frames
        #expect(frames.count == 1)
        #expect(frames.first?.contains(#""type":"status""#) == true)
    }
}
