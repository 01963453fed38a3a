#!/usr/bin/env python3
"""Proves the Polygon fake speaks the real protocol: the official `massive` client (PyPI) talks to it.

Usage: check-massive-client.py REST_BASE WS_HOST_PORT API_KEY
Checks REST (batched snapshot, previous close, paginated aggregates via next_url, market status)
and a WebSocket subscription that receives trades. Prints one JSON line and exits 0 on success.
"""
import asyncio
import json
import sys
from decimal import Decimal

from massive import RESTClient, WebSocketClient


def check_rest(base: str, key: str) -> dict:
    client = RESTClient(api_key=key, base=base, retries=0)
    snapshots = client.get_snapshot_all("stocks", tickers=["AAPL", "MSFT"])
    by_ticker = {s.ticker: s for s in snapshots}
    assert set(by_ticker) == {"AAPL", "MSFT"}, by_ticker.keys()
    assert Decimal(str(by_ticker["AAPL"].last_trade.price)) == Decimal("190.125"), by_ticker["AAPL"].last_trade
    assert by_ticker["AAPL"].prev_day.close == 188, by_ticker["AAPL"].prev_day
    prev = client.get_previous_close_agg("AAPL")
    prev = prev[0] if isinstance(prev, list) else prev
    assert prev.close == 188, prev
    end = 1_780_000_000_000 // 60_000 * 60_000
    bars = list(client.list_aggs("AAPL", 1, "minute", end - 24 * 60_000, end, limit=50000))
    assert len(bars) == 25, len(bars)
    status = client.get_market_status()
    assert status.market == "open", status
    return {"snapshots": len(snapshots), "bars": len(bars), "market": status.market}


async def check_stream(host_port: str, key: str) -> dict:
    ws = WebSocketClient(api_key=key, feed=host_port, market="stocks", secure=False, subscriptions=["T.AAPL"], max_reconnects=1)
    trades = []

    async def handle(messages):
        for message in messages:
            if getattr(message, "event_type", None) == "T":
                trades.append(message)
        if trades:
            await ws.close()

    await asyncio.wait_for(ws.connect(handle), timeout=20)
    assert trades, "no trade received"
    trade = trades[0]
    assert trade.symbol == "AAPL" and Decimal(str(trade.price)) == Decimal("191.5"), trade
    return {"trades": len(trades), "price": str(trade.price)}


def main() -> int:
    rest_base, ws_host_port, key = sys.argv[1:4]
    result = {"rest": check_rest(rest_base, key), "stream": asyncio.run(check_stream(ws_host_port, key))}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
