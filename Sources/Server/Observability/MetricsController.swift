import Foundation
import Hummingbird
import NIOCore
import TradingDomain
import TradingEngine

/// `GET /metrics`: Prometheus text format. Behind the API key like `/api/v1` (configure the
/// scrape job with `authorization: {credentials: KEY}`).
struct MetricsController {
    let http: HTTPMetrics
    let market: MarketDataService
    let alerts: AlertEngine
    let hub: WebSocketHub
    let outbox: OutboxDispatcher
    let outboxRepository: any OutboxRepository
    let orders: OrderDesk
    let clock: any WallClock

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try await render())))
        }
    }

    func render() async throws -> String {
        var text = PrometheusText()
        http.write(to: &text)

        let feed = market.feed.status()
        text.single("ta_ticks_ingested_total", "counter", "Market events received from the feed.", Double(market.cache.eventCount))
        text.single("ta_feed_connected", "gauge", "1 when the market-data feed is connected.", feed.state == .connected ? 1 : 0, ["provider": feed.provider])
        text.single("ta_feed_reconnects_total", "counter", "Feed reconnects since start.", Double(feed.reconnects))
        let age = feed.lastMessageAt.map { clock.now().timeIntervalSince($0) } ?? -1
        text.single("ta_feed_last_message_age_seconds", "gauge", "Seconds since the feed's last message (-1: none yet).", age)
        text.single("ta_feed_stale_symbols", "gauge", "Watched symbols without recent data.", Double(market.staleSymbols.count))

        let stats = alerts.stats
        text.single("ta_alerts_armed", "gauge", "Active alerts held by the engine.", Double(alerts.armedCount))
        text.single("ta_alert_evaluations_total", "counter", "Trades evaluated against the alert book.", Double(stats.ticks))
        text.single("ta_alert_firings_total", "counter", "Alert firings stored.", Double(stats.stored))
        let latency = alerts.evaluationLatency
        text.header("ta_alert_evaluation_seconds", "gauge", "Per-tick evaluation time: upper bound of the bucket holding the quantile.")
        for q in [0.5, 0.99, 0.999] {
            if let value = latency.quantile(q), value != Int64.max {
                text.sample("ta_alert_evaluation_seconds", ["quantile": PrometheusText.number(q)], Double(value) / 1e9)
            }
        }

        let ws = hub.stats
        text.single("ta_ws_clients", "gauge", "Connected WebSocket clients.", Double(ws.clients))
        text.single("ta_ws_dropped_total", "counter", "WebSocket clients dropped for being too slow.", Double(ws.dropped))
        text.single("ta_ws_frames_sent_total", "counter", "WebSocket frames sent.", Double(ws.framesSent))

        let outboxStats = try await outboxRepository.stats(channel: outbox.channel, problemLimit: 0)
        text.header("ta_outbox_messages", "gauge", "Discord outbox messages by status (pending = backlog).")
        for status in OutboxMessage.Status.allCases {
            text.sample("ta_outbox_messages", ["status": status.rawValue], Double(outboxStats.counts[status] ?? 0))
        }
        text.single("ta_outbox_sent_total", "counter", "Discord messages delivered since start.", Double(outbox.snapshot.sent))

        let counts = try await orders.statusCounts()
        text.header("ta_orders", "gauge", "Our orders by status.")
        for status in OrderStatus.allCases {
            text.sample("ta_orders", ["status": status.rawValue], Double(counts[status] ?? 0))
        }
        text.single("ta_broker_accepting_orders", "gauge", "1 when reconciliation allows new orders.",
                    orders.reconciliationState.blockReason == nil ? 1 : 0, ["broker": orders.broker.name])
        return text.body
    }
}
