#!/usr/bin/env python3
"""Regenerates the dashboard screenshots (1280×800 PNG) in docs/screenshots/.

Usage: scripts/screenshots.py BASE_URL TOKEN [OUT_DIR]   (normally run by scripts/screenshots, which
starts a fresh offline server). It seeds the server through the API (journal history, alerts, a saved
plan, a bracket order, a working limit order), then drives the page with headless Chromium and saves:
overview.png, order-confirmation.png, orders.png, positions.png, alerts.png, journal.png, coach.png,
settings.png, overview-dark.png (the dark theme), and at 375×812 phone-trade.png, phone-orders.png, phone-positions.png.
"""
import datetime as dt
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_dashboard as e2e  # noqa: E402  (shares the driver and API helpers)
from selenium.webdriver.common.by import By  # noqa: E402

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else os.environ.get("TA_E2E_URL", "http://127.0.0.1:8000")
TOKEN = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("TA_E2E_TOKEN", "")
OUT = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "screenshots")
e2e.BASE, e2e.TOKEN = BASE, TOKEN


def api(method, path, body=None, ok=(200, 201, 202, 204)):
    status, data = e2e.http(method, path, body)
    if status not in ok:
        raise SystemExit(f"{method} {path} → {status}: {data}")
    return data


def last(symbol):
    for _ in range(50):
        quotes = api("GET", f"/api/v1/quotes?symbols={symbol}")["quotes"]
        if quotes and quotes[0].get("last"):
            return quotes[0]["last"]
        time.sleep(0.2)
    raise SystemExit(f"no price for {symbol}")


def place(ticket):
    preview = api("POST", "/api/v1/orders/preview", ticket)
    return api("POST", "/api/v1/orders", {"confirmation_token": preview["confirmation_token"]})


def seed():
    now = dt.datetime.now(dt.timezone.utc)
    trades = [  # symbol, side, entry, exit, qty, stop, tags, days ago, note
        ("MSFT", "long", 388.20, 394.10, 50, 385.00, ["breakout"], 12, "Clean breakout over the range high."),
        ("NVDA", "long", 158.40, 156.90, 100, 157.00, ["pullback"], 11, "Stopped out; entered early."),
        ("AAPL", "long", 231.10, 236.40, 60, 229.00, ["breakout"], 9, "Held to target 1."),
        ("TSLA", "short", 204.00, 199.20, 40, 207.00, ["fade"], 8, "Faded the gap."),
        ("QQQ", "long", 515.30, 513.10, 30, 513.00, ["pullback"], 6, "Chop; cut at the stop."),
        ("AMZN", "long", 176.20, 179.80, 80, 174.80, ["breakout"], 4, "Trend day."),
        ("SPY", "long", 585.10, 584.20, 40, 583.50, ["pullback"], 2, "Scratch."),
        ("NVDA", "long", 160.10, 163.30, 100, 158.90, ["breakout"], 1, "Volume confirmed the move."),
    ]
    for symbol, side, entry, exit_, qty, stop, tags, days, note in trades:
        opened = (now - dt.timedelta(days=days, hours=3)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        closed = (now - dt.timedelta(days=days, hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        api("POST", "/api/v1/journal", {"symbol": symbol, "side": side, "entry_price": entry, "exit_price": exit_, "quantity": qty, "stop": stop,
                                        "fees": 1.0, "tags": tags, "notes": note, "opened_at": opened, "closed_at": closed})
    api("PATCH", "/api/v1/settings", {"discord": {"webhook_url": "https://discord.com/api/webhooks/123456789012345678/screenshot-token-not-real",
                                                  "enabled": False, "alert_types": ["price_above", "price_below", "risk"]}})
    aapl = last("AAPL")
    api("POST", "/api/v1/alerts", {"symbol": "AAPL", "type": "price_above", "threshold": round(aapl * 1.004, 2), "note": "Range high"})
    api("POST", "/api/v1/alerts", {"symbol": "AAPL", "type": "price_below", "threshold": round(aapl * 0.996, 2), "note": "Lose VWAP"})
    api("POST", "/api/v1/alerts", {"symbol": "MSFT", "type": "price_above", "threshold": 1, "note": "Smoke test"})
    api("POST", "/api/v1/alerts", {"symbol": "NVDA", "type": "percent_change", "threshold": 2, "direction": "either", "mode": "repeat", "cooldown_s": 600})
    entry = aapl
    stop = round(aapl * 0.994, 2)
    plan = api("POST", "/api/v1/plans", {"symbol": "AAPL", "side": "long", "entry": entry, "stop": stop,
                                         "targets": [round(entry + 2 * (entry - stop), 2), round(entry + 3 * (entry - stop), 2)], "thesis": "Higher lows into the range high."})
    place({"symbol": "AAPL", "action": "buy", "quantity": 40, "type": "market", "plan_id": plan["id"], "bracket": True})
    nvda = last("NVDA")
    nvda_stop = round(nvda * 0.99, 2)
    nvda_plan = api("POST", "/api/v1/plans", {"symbol": "NVDA", "side": "long", "entry": nvda, "stop": nvda_stop,
                                              "targets": [round(nvda + 2.5 * (nvda - nvda_stop), 2)]})
    place({"symbol": "NVDA", "action": "buy", "quantity": 60, "type": "market", "plan_id": nvda_plan["id"], "bracket": True})
    msft = last("MSFT")
    place({"symbol": "MSFT", "action": "buy", "quantity": 20, "type": "limit", "limit_price": round(msft * 0.98, 2), "duration": "gtc"})
    time.sleep(1.5)
    return plan


def shot(name):
    time.sleep(0.6)
    e2e.d.execute_script("document.getElementById('toasts').replaceChildren(); document.activeElement && document.activeElement.blur();")
    time.sleep(0.2)
    path = os.path.join(OUT, f"{name}.png")
    e2e.d.save_screenshot(path)
    print(f"wrote {path}")


def main():
    if not TOKEN:
        raise SystemExit("usage: screenshots.py BASE_URL TOKEN [OUT_DIR]")
    os.makedirs(OUT, exist_ok=True)
    seed()
    d = e2e.d = e2e.make_driver()
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    q, tid, click, wait = e2e.q, e2e.tid, e2e.click, e2e.wait
    try:
        d.get(e2e.login_url())
        wait(lambda: q("#board").is_displayed(), "dashboard")
        wait(lambda: tid("connection").get_attribute("data-state") == "live", "live")
        click(tid("wl-select-AAPL"))
        wait(lambda: int(tid("chart").get_attribute("data-bars") or 0) > 5, "bars")
        wait(lambda: int(tid("chart").get_attribute("data-lines") or 0) >= 5, "alert and plan lines")
        click(tid("wl-plan-AAPL"))
        click(q("#plan-check"))
        wait(lambda: tid("plan-valid").text == "valid", "plan checked")
        d.execute_script("window.scrollTo(0, 0)")
        shot("overview")

        click(q("#plan-save"))
        wait(lambda: tid("plan-saved").is_displayed(), "plan saved")
        click(q("#plan-to-size"))
        click(q("#size-submit"))
        wait(lambda: tid("size-quantity").text, "sized")
        click(tid("size-use"))
        wait(lambda: e2e.value_of("#ticket-plan") != "", "ticket with plan")
        e2e.fill(q("#ticket-quantity"), "50")
        click(q("#ticket-bracket"))
        click(q("#ticket-preview"))
        wait(lambda: q("#confirm-dialog").get_attribute("open") is not None, "dialog")
        wait(lambda: tid("confirm-estimated-cost").text not in ("", "–"), "cost")
        shot("order-confirmation")
        click(q("#confirm-cancel"))

        for tab in ("orders", "positions", "alerts", "journal"):
            e2e.open_tab(tab)
            if tab == "orders":
                wait(lambda: len(e2e.qa('[data-testid="order-row"]')) >= 4, "orders")
            if tab == "positions":
                wait(lambda: len(e2e.qa('[data-testid="position-row"]')) >= 2, "positions")
            if tab == "alerts":
                wait(lambda: len(e2e.qa('[data-testid="firing"]')) >= 1, "firings")
            if tab == "journal":
                wait(lambda: int(tid("equity-chart").get_attribute("data-points") or 0) >= 8, "curve")
            d.execute_script("window.scrollTo(0, 0)")
            shot(tab)

        e2e.open_tab("coach")
        for question in ("what's AAPL at?", "buy 10 AAPL"):
            e2e.fill(q("#coach-input"), question)
            click(q("#coach-send"))
            wait(lambda: not q("#coach-send").get_attribute("disabled"), "coach answered", timeout=45)
            if e2e.qa('[data-testid="coach-unavailable"]'):
                break
        for details in e2e.qa('[data-testid="coach-sources"]')[:1]:
            details.find_element(By.CSS_SELECTOR, "summary").click()
        shot("coach")

        e2e.open_tab("settings")
        wait(lambda: e2e.value_of("#set-max-daily-loss") != "", "settings")
        shot("settings")

        # The dark theme (the header's toggle: system → light → dark).
        e2e.open_tab("trade")
        for _ in range(3):
            if tid("theme-toggle").text == "Theme: dark":
                break
            click(tid("theme-toggle"))
        d.execute_script("window.scrollTo(0, 0)")
        shot("overview-dark")

        # The phone layout (375×812): the trade view, orders and positions.
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": False})
        for tab in ("trade", "orders", "positions"):
            e2e.open_tab(tab)
            d.execute_script("window.scrollTo(0, 0)")
            shot(f"phone-{tab}")
    except Exception:
        d.save_screenshot("/tmp/screenshots-failure.png")
        print("failure screenshot: /tmp/screenshots-failure.png", file=sys.stderr)
        raise
    finally:
        d.quit()


if __name__ == "__main__":
    main()
