#!/usr/bin/env python3
"""Browser end-to-end test of the dashboard (headless Chromium through chromedriver).

Usage:  scripts/e2e_dashboard.py [BASE_URL] [TOKEN]
        (or TA_E2E_URL / TA_E2E_TOKEN; TA_E2E_SYMBOL picks the symbol, default the first watched one;
         CHROME_BIN / CHROMEDRIVER override the browser and driver paths; TA_E2E_HEADFUL=1 shows the window;
         TA_E2E_WIDTH sets the viewport width, default 1280 — the page is meant to work from about 800)

It walks the trader's path through the real page against a running server (offline mode: simulated
market, paper broker): log in with a one-time link (POST /api/v1/auth/codes, then /?login=CODE), see prices move, set an alert that fires, build
and save a plan, size it, preview an order and confirm it in the dialog, see the order and the
position, cancel the bracket exits, close the position, find the journal entry and stats, ask the
coach, use the risk kill switch, and check settings errors. Nothing is skipped: a missing endpoint or a
state the step cannot exercise is a failure. Prints "N passed, N failed, 0 skipped" and exits non-zero on
any failure.
"""
import json
import os
import shutil
import sys
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TA_E2E_URL", "http://127.0.0.1:8000")).rstrip("/")
TOKEN = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("TA_E2E_TOKEN", "")
TIMEOUT = float(os.environ.get("TA_E2E_TIMEOUT", "20"))



# ---- helpers ----------------------------------------------------------------------------------------

def http(method, path, body=None):
    """Calls the API directly (for probes); returns (status, json)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, None


def make_driver():
    options = Options()
    binary = os.environ.get("CHROME_BIN") or next((p for p in map(shutil.which, ["chromium", "chromium-browser", "google-chrome"]) if p), None)
    if binary:
        options.binary_location = binary
    if not os.environ.get("TA_E2E_HEADFUL"):
        options.add_argument("--headless=new")
    for arg in ["--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-gpu", "--no-first-run"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    return webdriver.Chrome(service=Service(driver_path) if driver_path else Service(), options=options)


d = None


def wait(condition, message, timeout=TIMEOUT):
    """Waits until condition() is truthy (exceptions count as not yet); returns its value."""
    def probe(_):
        try:
            return condition()
        except WebDriverException:
            return False
    try:
        return WebDriverWait(d, timeout, poll_frequency=0.2).until(probe)
    except Exception:
        raise AssertionError(f"timed out after {timeout:.0f}s: {message}") from None


def q(css):
    return d.find_element(By.CSS_SELECTOR, css)


def qa(css):
    return d.find_elements(By.CSS_SELECTOR, css)


def tid(name):
    return q(f'[data-testid="{name}"]')


def visible(css):
    found = qa(css)
    return found[0] if found and found[0].is_displayed() else None


def click(element):
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    try:
        element.click()
    except ElementClickInterceptedException:
        d.execute_script("document.getElementById('toasts').replaceChildren();")  # a toast was in the way
        element.click()


def click_css(css, message):
    """Finds and clicks, again if the page re-rendered the element in between."""
    for _ in range(5):
        try:
            click(wait(lambda: q(css), message))
            return
        except StaleElementReferenceException:
            time.sleep(0.2)
    raise AssertionError(f"{message}: the element kept being replaced")


def fill(element, value):
    element.clear()
    element.send_keys(str(value))


def value_of(css):
    return q(css).get_attribute("value")


def open_tab(name):
    click(q(f"#tab-{name}"))
    wait(lambda: q(f"#tab-{name}").get_attribute("aria-selected") == "true" and q(f"#view-{name}").is_displayed(), f"{name} tab shown")


def confirm_dialog_then_ok(expect_exits=None):
    wait(lambda: q("#confirm-dialog").get_attribute("open") is not None, "confirmation dialog open")
    cost = wait(lambda: tid("confirm-estimated-cost").text.strip() not in ("", "–") and tid("confirm-estimated-cost").text, "estimated cost shown")
    checks = qa('#confirm-checks [data-testid="check"]')
    assert checks, "no pre-trade checks listed"
    outcomes = [c.get_attribute("data-outcome") for c in checks]
    assert all(o in ("pass", "warn", "fail") for o in outcomes), outcomes
    assert "fail" not in outcomes, f"a check failed: {[c.text for c in checks]}"
    if expect_exits is not None:
        exits = qa("#confirm-exits tbody tr")
        assert len(exits) == expect_exits, f"expected {expect_exits} bracket exits, saw {len(exits)}"
    click(tid("confirm-ok"))
    wait(lambda: q("#confirm-dialog").get_attribute("open") is None, "dialog closed after Confirm")
    return cost, outcomes


# ---- the walk ----------------------------------------------------------------------------------------

ctx = {}


def login_url():
    """A one-time login link from POST /api/v1/auth/codes (the key never goes in a URL)."""
    status, body = http("POST", "/api/v1/auth/codes")
    assert status == 201 and body and body.get("url", "").startswith("/?login="), f"login code: {status} {body}"
    return BASE + body["url"]


def step_login():
    d.get(login_url())
    wait(lambda: q("#board").is_displayed(), "dashboard shown after login")
    assert "login=" not in d.current_url, f"login code left in the address bar: {d.current_url}"
    session = d.execute_script("return sessionStorage.getItem('ta.token')")
    assert session and session != TOKEN, "a session token (not the API key) is kept in sessionStorage"
    rows = wait(lambda: qa('#watchlist tbody tr[data-symbol]'), "watchlist rows")
    symbols = [r.get_attribute("data-symbol") for r in rows]
    ctx["symbol"] = os.environ.get("TA_E2E_SYMBOL", "AAPL" if "AAPL" in symbols else symbols[0])
    assert ctx["symbol"] in symbols, f"{ctx['symbol']} not on the watchlist {symbols}"


def step_live_prices():
    wait(lambda: tid("connection").get_attribute("data-state") == "live", "connection indicator says live")
    before = {r.get_attribute("data-symbol"): r.find_element(By.CSS_SELECTOR, "td.num").text for r in qa("#watchlist tbody tr[data-symbol]")}
    changed = wait(lambda: [s for s, t in before.items() if q(f'[data-testid="wl-last-{s}"]').text != t], "a watchlist price changes", timeout=30)
    ctx["changed"] = changed


def step_chart():
    click(tid(f"wl-select-{ctx['symbol']}"))
    wait(lambda: tid("chart-title").text == ctx["symbol"], "chart shows the selected symbol")
    wait(lambda: int(tid("chart").get_attribute("data-bars") or 0) > 5, "chart has minute bars")
    canvas = tid("chart")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    ActionChains(d).move_to_element_with_offset(canvas, 0, -30).click().perform()
    wait(lambda: q("#tool-alert").is_displayed(), "Set Alert opens after a chart click")
    price = float(value_of("#alert-threshold"))
    assert price > 0 and value_of("#alert-symbol") == ctx["symbol"], (price, value_of("#alert-symbol"))


def ny_hhmm(iso):
    """HH:MM in New York of an ISO-8601 instant."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")


def step_session_and_ny_axis():
    # The browser runs in Tokyo (set in main): New York labels cannot come from the browser's zone.
    status_code, status = http("GET", "/api/v1/market/status")
    assert status_code == 200, (status_code, status)
    badge = wait(lambda: tid("market-session") if tid("market-session").is_displayed() and tid("market-session").text else None, "session badge in the header")
    assert badge.get_attribute("data-session") == status["session"], (badge.get_attribute("data-session"), status)
    assert "ET" in badge.text and ("opens" in badge.text or "closes" in badge.text), badge.text
    # The header clock is New York time (the server's), not Tokyo's.
    clock = wait(lambda: tid("ny-clock").text if tid("ny-clock").is_displayed() else None, "New York clock in the header")
    from datetime import datetime as _dt, timedelta as _td
    as_of = _dt.fromisoformat(status["as_of"].replace("Z", "+00:00"))
    near = {ny_hhmm((as_of + _td(minutes=m)).isoformat()) for m in (-1, 0, 1)}
    assert clock.endswith(" ET") and clock.split(" ")[1] in near, (clock, near)
    canvas = tid("chart")
    assert canvas.get_attribute("data-time-zone") == "America/New_York"
    label = wait(lambda: canvas.get_attribute("data-last-label"), "the chart's last time label")
    from datetime import datetime, timedelta, timezone
    code, bars = http("GET", f"/api/v1/bars/{ctx['symbol']}?timespan=minute&limit=1")
    assert code == 200 and bars["bars"], (code, bars)
    # The last bar is the newest history bar or a newer live minute: its label is one of those New York minutes.
    start = datetime.fromisoformat(bars["bars"][-1]["t"].replace("Z", "+00:00"))
    now = datetime.now(timezone.utc) + timedelta(minutes=1)
    minutes, allowed = start, set()
    while minutes <= now and len(allowed) < 24 * 60:
        allowed.add(ny_hhmm(minutes.isoformat()))
        minutes += timedelta(minutes=1)
    label = canvas.get_attribute("data-last-label")
    assert label in allowed, (label, sorted(allowed)[:5])


def step_alert_fires():
    symbol = ctx["symbol"]
    click(tid(f"wl-alert-{symbol}"))
    wait(lambda: q("#tool-alert").is_displayed(), "Set Alert form")
    assert value_of("#alert-symbol") == symbol
    Select(q("#alert-type")).select_by_value("price_above")
    fill(q("#alert-threshold"), "1")
    fill(q("#alert-note"), "e2e <b>not bold</b>")
    click(q("#alert-submit"))
    wait(lambda: symbol in q("#alert-ok").text, "alert created message")
    toast = wait(lambda: next((t for t in qa('[data-testid="toast"]') if f"Alert: {symbol}" in t.text), None), "alert toast after the firing")
    assert "<b>" in toast.text, "user note must show as text"
    open_tab("alerts")
    wait(lambda: any(symbol in f.text for f in qa('[data-testid="firing"]')), "firing listed under Recent firings")
    wait(lambda: any(r.get_attribute("data-status") == "triggered" for r in qa('[data-testid="alert-row"]')), "alert shows as triggered")


def step_plan():
    symbol = ctx["symbol"]
    click(tid(f"wl-plan-{symbol}"))
    wait(lambda: q("#tool-plan").is_displayed() and value_of("#plan-symbol") == symbol, "Build Plan form for the symbol")
    entry = float(value_of("#plan-entry"))
    stop = float(value_of("#plan-stop"))
    assert entry > stop > 0 and value_of("#plan-targets"), (entry, stop)
    click(q("#plan-check"))
    wait(lambda: tid("plan-valid").text == "valid", "plan is valid")
    assert tid("plan-summary").text.strip(), "plain-English summary shown"
    bands = qa('[data-testid="plan-rbands"] li')
    assert len(bands) >= 3, f"R bands: {[b.text for b in bands]}"
    click(q("#plan-save"))
    wait(lambda: tid("plan-saved").is_displayed(), "plan saved message")
    wait(lambda: int(tid("chart").get_attribute("data-lines") or 0) >= 3, "entry, stop and target lines on the chart")


def step_size():
    click(q("#plan-to-size"))
    wait(lambda: q("#tool-size").is_displayed() and value_of("#size-symbol") == ctx["symbol"], "Size It form")
    click(q("#size-submit"))
    quantity = wait(lambda: int(tid("size-quantity").text.replace(",", "")), "sized quantity shown")
    assert quantity > 0
    assert len(qa('[data-testid="size-alternatives"] tbody tr')) == 3, "three alternatives"
    assert "from the broker's account" in q("#size-result").text, "sized from the (paper) broker's account"
    ctx["quantity"] = quantity
    click(tid("size-use"))
    wait(lambda: q("#tool-ticket").is_displayed() and value_of("#ticket-quantity") == str(quantity), "ticket prefilled with the size")
    wait(lambda: value_of("#ticket-plan") != "", "ticket linked to the saved plan")


def step_ticket_errors():
    Select(q("#ticket-type")).select_by_value("limit")
    quantity = value_of("#ticket-quantity")
    fill(q("#ticket-quantity"), "0")
    click(q("#ticket-preview"))
    wait(lambda: visible("#ticket-quantity-error") and visible("#ticket-limit-error"), "server field errors shown next to Quantity and Limit price")
    assert q("#ticket-quantity").get_attribute("aria-invalid") == "true"
    assert q("#ticket-error").text.strip(), "problem detail shown"
    Select(q("#ticket-type")).select_by_value("market")
    fill(q("#ticket-quantity"), quantity)


def step_extended_hours_ticket():
    market = q('#ticket-type option[value="market"]')
    Select(q("#ticket-duration")).select_by_value("pre")
    wait(lambda: value_of("#ticket-type") == "limit", "a pre-market order becomes a limit order")
    assert not market.is_enabled(), "market is not offered for the pre-market"
    assert "pre-market" in q("#ticket-session-hint").text, q("#ticket-session-hint").text
    Select(q("#ticket-duration")).select_by_value("post")
    assert "after-hours" in q("#ticket-session-hint").text, q("#ticket-session-hint").text
    Select(q("#ticket-duration")).select_by_value("day")
    assert market.is_enabled(), "market is offered again for a day order"
    Select(q("#ticket-type")).select_by_value("market")


def step_preview_confirm():
    bracket = q("#ticket-bracket")
    if not bracket.is_selected():
        click(bracket)
    assert value_of("#ticket-type") == "market"
    click(q("#ticket-preview"))
    cost, outcomes = confirm_dialog_then_ok(expect_exits=2)
    ctx["cost"] = cost
    wait(lambda: q("#tab-orders").get_attribute("aria-selected") == "true", "Orders tab shown after Confirm")


def rows_for(symbol, testid):
    return [r for r in qa(f'[data-testid="{testid}"]') if r.get_attribute("data-symbol") == symbol]


def step_orders():
    symbol = ctx["symbol"]
    wait(lambda: any(r.get_attribute("data-role") == "entry" and r.get_attribute("data-status") == "filled" for r in rows_for(symbol, "order-row")), "entry order filled in Orders")
    wait(lambda: len([r for r in rows_for(symbol, "order-row") if r.get_attribute("data-role") in ("stop", "target") and r.get_attribute("data-status") == "open"]) == 2, "bracket stop and target working")


def step_positions():
    open_tab("positions")
    wait(lambda: any(r.get_attribute("data-quantity") == str(ctx["quantity"]) for r in rows_for(ctx["symbol"], "position-row")), "position with the sized quantity")
    # Bought today: its day P&L is a figure (from the fill), not the "–" of a missing measurement.
    day_cell = lambda: rows_for(ctx["symbol"], "position-row")[0].find_element(By.CSS_SELECTOR, '[data-testid="position-day-pnl"]')
    wait(lambda: day_cell().text.strip() not in ("", "–"), "the position's day P&L shown")


def step_cancel():
    open_tab("orders")
    symbol = ctx["symbol"]
    working = [r.get_attribute("data-order-id") for r in rows_for(symbol, "order-row") if r.find_elements(By.CSS_SELECTOR, '[data-testid="order-cancel"]')]
    assert len(working) == 2, f"expected the two bracket exits to be cancelable, saw {len(working)}"
    for order_id in working:
        click_css(f'tr[data-order-id="{order_id}"] [data-testid="order-cancel"]', "cancel button")
        wait(lambda: not qa(f'tr[data-order-id="{order_id}"] [data-testid="order-cancel"]:not([disabled])'), "cancel requested (button disabled)")
    wait(lambda: all(q(f'tr[data-order-id="{i}"]').get_attribute("data-status") == "canceled" for i in working), "bracket exits canceled")
    assert not q("#orders-message").text.strip(), f"unexpected message: {q('#orders-message').text}"


def step_close():
    open_tab("positions")
    click(tid(f"position-close-{ctx['symbol']}"))
    if visible("#ask-dialog[open]"):
        click(q("#ask-ok"))
    wait(lambda: q("#tool-ticket").is_displayed() and value_of("#ticket-action") == "sell" and value_of("#ticket-quantity") == str(ctx["quantity"]), "ticket prefilled to close")
    click(q("#ticket-preview"))
    confirm_dialog_then_ok(expect_exits=0)
    open_tab("positions")
    wait(lambda: not rows_for(ctx["symbol"], "position-row"), "position gone after the sell")


def step_journal():
    open_tab("journal")
    wait(lambda: any(r.get_attribute("data-status") == "closed" for r in rows_for(ctx["symbol"], "journal-row")), "closed journal entry for the trade")
    wait(lambda: int(tid("stat-trades").text.split()[0]) >= 1, "stats count the trade")
    for name in ("win-rate", "expectancy", "profit-factor", "drawdown"):
        # Read inside wait: a fill or position event re-renders the stats at any moment.
        wait(lambda: tid(f"stat-{name}").text.strip(), f"stat {name} shown")
    wait(lambda: int(tid("equity-chart").get_attribute("data-points") or 0) >= 1, "equity curve drawn")
    # The trade's detail: its review and a chart of its bars with entry, exit and stop lines.
    # The table re-renders on fill and position events: find and click the row again until the review opens.
    def open_review():
        row = next(r for r in rows_for(ctx["symbol"], "journal-row") if r.get_attribute("data-status") == "closed")
        click(row)
        return tid("trade-review").is_displayed()
    wait(open_review, "trade review shown")
    chart = tid("trade-review-chart")
    wait(lambda: int(chart.get_attribute("data-bars") or 0) >= 1, "the trade's bars drawn")
    lines = chart.get_attribute("data-lines").split(",")
    assert "entry" in lines and "exit" in lines, lines
    click(q("#trade-review-close"))


IMPORT_CSV = """fill_id,time,symbol,side,quantity,price,commission,stop,tags
E2E-1,2026-03-02T14:35:00Z,AAPL,buy,10,100,0,99,e2e
E2E-2,2026-03-02T15:00:00Z,AAPL,sell,10,102,0,,
E2E-3,2026-03-03T15:00:00Z,MSFT,buy,10,200,0,198,e2e
E2E-4,2026-03-03T15:30:00Z,MSFT,sell,10,199,0,,
E2E-5,2026-03-04T15:00:00Z,NVDA,buy,5,abc,0,49,e2e
E2E-6,2026-03-04T15:00:00Z,NVDA,buy,5,50,0,49,e2e
E2E-7,2026-03-04T16:00:00Z,NVDA,sell,5,51,0,,
"""


def step_journal_views():
    """Import a fills CSV from the Journal tab (dry-run diff first), then the calendar heatmap shows
    its three days with their P&L and the R histogram, MAE/MFE scatter and hour bars draw them."""
    open_tab("journal")
    d.execute_script("document.getElementById('journal-import').open = true;")
    area = wait(lambda: visible('[data-testid="import-csv"]'), "import text area")
    d.execute_script("arguments[0].value = arguments[1];", area, IMPORT_CSV)
    click(tid("import-dry-run"))
    wait(lambda: tid("import-diff").get_attribute("data-new") == "6", "dry run counts 6 new lines")
    assert tid("import-diff").get_attribute("data-errors") == "1", "dry run lists the bad line"
    assert any("Line 6" in e.text for e in qa('[data-testid="import-error"]')), "the bad line is named"
    status, body = http("GET", "/api/v1/journal/calendar?month=2026-03")
    assert status == 200 and body["days"] == [], f"a dry run writes nothing: {status} {body}"
    click(tid("import-commit"))
    wait(lambda: "Imported" in q("#import-summary").text, "import done")
    for _ in range(36):
        if tid("calendar-month").text == "2026-03":
            break
        current = tid("calendar-month").text
        click(q("#calendar-prev" if current > "2026-03" else "#calendar-next"))
        wait(lambda: tid("calendar-month").text != current, "calendar moved a month")
    assert tid("calendar-month").text == "2026-03", "calendar reached March 2026"
    wait(lambda: len(qa('[data-testid="calendar-day"]')) == 3, "three traded days in the calendar")
    days = {c.get_attribute("data-date"): c.get_attribute("data-pnl") for c in qa('[data-testid="calendar-day"]')}
    assert days == {"2026-03-02": "20", "2026-03-03": "-10", "2026-03-04": "5"}, f"calendar days {days}"
    wait(lambda: int(tid("r-histogram").get_attribute("data-bars") or 0) >= 3, "R histogram drawn")
    wait(lambda: int(tid("mae-mfe").get_attribute("data-points") or 0) >= 3, "MAE/MFE scatter drawn")
    wait(lambda: int(tid("by-hour").get_attribute("data-bars") or 0) >= 1, "by-hour bars drawn")


def step_coach():
    status, _ = http("POST", "/api/v1/coach/chat", {"message": "ping"})
    open_tab("coach")
    fill(q("#coach-input"), "what's AAPL at?")
    click(q("#coach-send"))
    if status == 404:
        wait(lambda: tid("coach-unavailable").is_displayed(), "coach 404 explained in the chat")
        raise AssertionError("POST /api/v1/coach/chat answers 404 on this server")
    badge = wait(lambda: visible('[data-testid="coach-confidence"]'), "confidence badge on the reply", timeout=45)
    assert badge.get_attribute("data-level") in ("high", "medium", "low"), badge.text
    summary = q('[data-testid="coach-sources"] summary')
    click(summary)
    wait(lambda: len([s for s in qa('[data-testid="coach-source"]') if s.is_displayed()]) >= 1, "sources listed")
    # an order the coach previews is placed only by the user's click
    orders_before = http("GET", "/api/v1/orders")[1]["orders"]
    fill(q("#coach-input"), f"buy 1 {ctx['symbol']}")
    click(q("#coach-send"))
    button = wait(lambda: visible('[data-testid="coach-confirm-order"]'), "Confirm order button on the coach's preview", timeout=45)
    assert len(http("GET", "/api/v1/orders")[1]["orders"]) == len(orders_before), "the coach placed an order by itself"
    click(button)
    wait(lambda: any(p.text.startswith("Sent:") for p in qa(".action-card [role=status]")), "order sent after Confirm order")
    assert len(http("GET", "/api/v1/orders")[1]["orders"]) == len(orders_before) + 1, "Confirm order placed one order"


def step_risk():
    status, risk = http("GET", "/api/v1/risk")
    if status == 404:
        wait(lambda: tid("risk-unavailable").is_displayed(), "risk panel explains it is not available")
        raise AssertionError("GET /api/v1/risk answers 404 on this server")
    wait(lambda: tid("risk-state").text.lower() in ("active", "reducing", "halted"), "risk state shown")
    if risk.get("state") == "halted":
        # A halt left by an earlier run: lift it first, so the kill switch is really exercised.
        status, _ = http("POST", "/api/v1/risk/resume", {"reason": "e2e: start from an active account"})
        assert status == 200, f"could not resume a halted account before the kill-switch step ({status})"
        wait(lambda: tid("risk-state").text.lower() != "halted", "risk state no longer halted")
    click(tid("kill-switch"))
    wait(lambda: q("#ask-dialog").get_attribute("open") is not None, "kill switch asks for confirmation")
    fill(q("#ask-reason"), "e2e kill switch")
    click(q("#ask-ok"))
    wait(lambda: tid("risk-badge").get_attribute("data-state") == "halted", "risk badge says halted")
    # halted refuses new orders: the refusal must reach the user (at preview or at confirm)
    open_tab("trade")
    click(tid(f"wl-select-{ctx['symbol']}"))
    click(tid("act-ticket"))
    wait(lambda: q("#tool-ticket").is_displayed(), "order ticket")
    Select(q("#ticket-action")).select_by_value("buy")
    Select(q("#ticket-type")).select_by_value("market")
    fill(q("#ticket-quantity"), "1")
    click(q("#ticket-preview"))
    wait(lambda: q("#ticket-error").text.strip() or q("#confirm-dialog").get_attribute("open") is not None, "preview answered while halted")
    if q("#confirm-dialog").get_attribute("open") is not None:
        click(tid("confirm-ok"))
        wait(lambda: q("#confirm-error").text.strip(), "placing while halted is refused with a message")
        click(q("#confirm-cancel"))
    click(q("#risk-resume"))
    fill(q("#ask-reason"), "e2e resume")
    click(q("#ask-ok"))
    wait(lambda: tid("risk-badge").get_attribute("data-state") != "halted", "trading resumed")


def step_settings():
    open_tab("settings")
    wait(lambda: value_of("#set-max-daily-loss") != "", "settings loaded")
    original = value_of("#set-max-daily-loss")
    fill(q("#set-max-daily-loss"), "-5")
    click(q("#risk-settings-save"))
    error = wait(lambda: visible("#set-max-daily-loss-error"), "validation message next to Max daily loss")
    assert error.text.strip() and q("#set-max-daily-loss").get_attribute("aria-invalid") == "true"
    fill(q("#set-max-daily-loss"), original)
    click(q("#risk-settings-save"))
    wait(lambda: q("#risk-settings-ok").text in ("Saved.", "Nothing changed."), "settings saved again")
    click(q("#discord-test"))
    wait(lambda: tid("discord-outcome").get_attribute("data-outcome"), "Discord test outcome shown")


def step_notifications():
    d.execute_cdp_cmd("Browser.grantPermissions", {"origin": BASE, "permissions": ["notifications"]})
    # Records every notification the page creates (the real one still shows).
    d.execute_script("""
        const Real = window.Notification;
        window.__notes = [];
        window.Notification = class extends Real {
          constructor(title, options) { super(title, options); window.__notes.push({ title, body: options && options.body }); }
        };
    """)
    open_tab("settings")
    box = q("#notify-enabled")
    if not box.is_selected():
        click(box)
    assert q("#notify-alert").is_selected(), "alert firings are on by default"
    symbol = ctx["symbol"]
    code, alert = http("POST", "/api/v1/alerts", {"symbol": symbol, "type": "price_above", "threshold": 1})
    assert code == 201, (code, alert)
    notes = wait(lambda: [n for n in d.execute_script("return window.__notes") if n["title"] == f"Alert: {symbol}"] or None,
                 "a browser notification for the firing")
    assert "price" in notes[0]["body"], notes
    click(q("#notify-enabled"))  # off again: later steps make no notifications


def step_accessibility():
    unlabelled = d.execute_script("""
      const bad = [];
      for (const el of document.querySelectorAll('input, select, textarea, button, canvas[tabindex]')) {
        const byId = el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'));
        const name = (el.getAttribute('aria-label') || (el.labels ? [...el.labels].map((l) => l.textContent).join(' ') : '')
          || (el.tagName === 'BUTTON' ? el.textContent : '') || (byId ? byId.textContent : '')).trim();
        if (!name) bad.push(el.id || el.getAttribute('data-testid') || el.tagName);
      }
      return bad;""")
    assert not unlabelled, f"controls without a label: {unlabelled}"
    tabs = qa('#main-tabs [role="tab"]')
    assert all(t.get_attribute("aria-selected") in ("true", "false") for t in tabs), "tabs carry aria-selected"
    open_tab("trade")
    q("#tab-trade").send_keys(Keys.ARROW_RIGHT)
    wait(lambda: q("#tab-orders").get_attribute("aria-selected") == "true" and d.switch_to.active_element == q("#tab-orders"), "→ moves to the Orders tab")
    q("#tab-orders").send_keys(Keys.HOME)
    wait(lambda: q("#tab-trade").get_attribute("aria-selected") == "true", "Home returns to the first tab")
    canvas = tid("chart")
    d.execute_script("arguments[0].focus()", canvas)
    canvas.send_keys(Keys.ARROW_UP)
    canvas.send_keys(Keys.ENTER)
    wait(lambda: q("#tool-alert").is_displayed() and float(value_of("#alert-threshold")) > 0, "chart: ↑ then Enter opens Set Alert from the keyboard")


def step_keyboard_shortcuts():
    d.execute_script("document.activeElement && document.activeElement.blur()")
    body = q("body")
    body.send_keys("?")
    wait(lambda: q("#shortcuts-dialog").get_attribute("open") is not None, "? opens the shortcuts list")
    assert len(qa("#shortcuts-body tr")) >= 6, "every shortcut listed"
    body.send_keys(Keys.ESCAPE)
    wait(lambda: q("#shortcuts-dialog").get_attribute("open") is None, "Escape closes it")
    body.send_keys("a")
    wait(lambda: q("#tool-alert").is_displayed(), "a opens Set Alert")
    body.send_keys("t")
    wait(lambda: q("#tool-ticket").is_displayed(), "t opens the order ticket")
    fill(q("#ticket-quantity"), "")
    q("#ticket-quantity").send_keys("p")
    assert q("#tool-ticket").is_displayed(), "typing p in a field is text, not a shortcut"
    fill(q("#ticket-quantity"), "")
    d.execute_script("document.activeElement.blur()")
    body.send_keys("/")
    wait(lambda: d.switch_to.active_element.get_attribute("id") == "add-symbol-input", "/ focuses the symbol box")


def axe_script():
    """axe-core (4.9) as shipped by PyPI's selenium-axe-python (CI installs it)."""
    import selenium_axe_python
    return open(os.path.join(os.path.dirname(selenium_axe_python.__file__), "axe-core", "axe.min.js")).read()


def axe_violations(views):
    """Serious or critical axe-core violations on each view (a main tab or a tool of the Trade tab)."""
    if not d.execute_script("return typeof axe !== 'undefined'"):
        d.execute_script(axe_script())
    found = []
    for kind, name in views:
        if kind == "tab":
            open_tab(name)
        else:
            open_tab("trade")
            click(q(f"#tooltab-{name}"))
        result = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
              .then((r) => done(r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "))))
              .catch((error) => done(["axe failed: " + error]));
        """)
        found += [f"{name}: {v}" for v in result]
    return found


def step_axe():
    views = [("tab", name) for name in PHONE_TABS] + [("tool", name) for name in ("plan", "size", "alert", "ticket")]
    found = axe_violations(views)
    assert not found, found


def step_dark_theme():
    toggle = tid("theme-toggle")
    for _ in range(3):
        if toggle.text == "Theme: dark":
            break
        click(toggle)
    assert toggle.text == "Theme: dark", toggle.text
    assert d.execute_script("return document.documentElement.dataset.theme") == "dark"
    open_tab("trade")
    background = d.execute_script("return getComputedStyle(document.body).backgroundColor")
    rgb = [int(x) for x in background[background.index("(") + 1:background.index(")")].split(",")[:3]]
    assert sum(rgb) < 150, background
    # The chart is drawn with the theme's colours: its background pixel is dark too.
    wait(lambda: sum(d.execute_script("return Array.from(document.getElementById('chart').getContext('2d').getImageData(3, 3, 1, 1).data.slice(0, 3))")) < 150,
         "chart redrawn dark")
    found = axe_violations([("tab", name) for name in PHONE_TABS] + [("tool", "ticket")])
    assert not found, found
    d.refresh()
    wait(lambda: q("#board").is_displayed(), "dashboard after reload")
    assert d.execute_script("return document.documentElement.dataset.theme") == "dark", "the choice is kept"
    for _ in range(3):
        if tid("theme-toggle").text == "Theme: system":
            break
        click(tid("theme-toggle"))
    assert tid("theme-toggle").text == "Theme: system"


PHONE_TABS = ["trade", "orders", "positions", "alerts", "journal", "coach", "settings"]


def step_phone_layout():
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": False})
    try:
        problems = []
        for name in PHONE_TABS:
            open_tab(name)
            time.sleep(0.2)
            wide = d.execute_script("""
                const limit = document.documentElement.clientWidth;
                const out = [];
                for (const el of document.querySelectorAll("body *")) {
                  if (!el.offsetParent && getComputedStyle(el).position !== "fixed") continue;
                  if (el.closest(".skip-link, .visually-hidden")) continue;  // off screen on purpose
                  // Inside a box that scrolls sideways on its own (a wide table): the page does not.
                  let scroller = false;
                  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) { scroller = true; break; }
                  }
                  if (scroller) continue;
                  const r = el.getBoundingClientRect();
                  if (r.width > 0 && (r.right > limit + 1 || r.left < -1)) out.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + el.className) + " " + Math.round(r.left) + ".." + Math.round(r.right));
                }
                return { scroll: document.documentElement.scrollWidth, limit, out: out.slice(0, 8) };
            """)
            if wide["scroll"] > wide["limit"] or wide["out"]:
                problems.append((name, wide))
        assert not problems, problems
        # Confirm is reachable with one thumb: the ticket's Preview button is inside the viewport width.
        open_tab("trade")
        button = q("#ticket-preview")
        assert button.rect["x"] + button.rect["width"] <= 375
    finally:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        open_tab("trade")


def step_installable():
    href = d.execute_script('return document.querySelector(\'link[rel="manifest"]\').href')
    assert href.endswith("/manifest.webmanifest"), href
    kept = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.ready
          .then(async () => {
            const names = await caches.keys();
            const paths = [];
            for (const name of names) {
              for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
            }
            done(paths);
          })
          .catch((error) => done("error: " + error));
    """)
    assert isinstance(kept, list), kept
    assert "/assets/app.js" in kept and "/" in kept, kept
    assert not [p for p in kept if p.startswith("/api") or p in ("/metrics", "/ready")], kept


def step_console_clean():
    problems = [e["message"] for e in d.get_log("browser")
                if e.get("source") in ("javascript", "security") or "Content Security Policy" in e.get("message", "") or "Refused to" in e.get("message", "")]
    assert not problems, "browser errors: " + " | ".join(problems[:5])


def step_logout_and_bad_key():
    click(q("#logout"))
    wait(lambda: q("#login").is_displayed() and not q("#board").is_displayed(), "login form after logout")
    fill(q("#key"), "wrong-key-0000000000000000")
    click(q('#login-form button[type="submit"]'))
    wait(lambda: q("#login").is_displayed() and "not accepted" in q("#login-error").text, "a wrong key (401) returns to the login form")
    fill(q("#key"), TOKEN)
    click(q('#login-form button[type="submit"]'))
    wait(lambda: q("#board").is_displayed(), "logged in again with the key")


STEPS = [
    ("log in from the start-up URL", step_login),
    ("live prices change on the watchlist", step_live_prices),
    ("chart draws bars; a click opens Set Alert prefilled", step_chart),
    ("header shows the market session; the chart's time axis is New York time", step_session_and_ny_axis),
    ("alert price_above 1 fires: toast and firing", step_alert_fires),
    ("build, check and save a plan", step_plan),
    ("size it from the broker's account and carry the size to the ticket", step_size),
    ("order ticket: server field errors next to the fields", step_ticket_errors),
    ("order ticket: pre-market / after-hours durations take limit orders only", step_extended_hours_ticket),
    ("preview, confirmation dialog, confirm", step_preview_confirm),
    ("order in the Orders tab", step_orders),
    ("position in the Positions tab", step_positions),
    ("cancel the bracket exits", step_cancel),
    ("close the position from Positions", step_close),
    ("journal entry, stats and equity curve", step_journal),
    ("journal import (dry-run diff), calendar heatmap and R histogram", step_journal_views),
    ("coach answers with confidence and sources", step_coach),
    ("risk gauge and kill switch", step_risk),
    ("settings: field errors, Discord test", step_settings),
    ("notifications: switched on in Settings, an alert firing shows a browser notification", step_notifications),
    ("every control labelled; tabs and chart work from the keyboard", step_accessibility),
    ("axe-core: no serious or critical violation on any tab or tool", step_axe),
    ("dark theme: toggled in the header, kept on reload, chart redrawn, axe-clean", step_dark_theme),
    ("keyboard: ? lists the shortcuts, a / t / / act, never while typing", step_keyboard_shortcuts),
    ("phone (375×812): no element wider than the screen on any tab", step_phone_layout),
    ("installable: manifest linked, service worker keeps the app shell and no API answer", step_installable),
    ("no script errors or CSP violations", step_console_clean),
    ("logout; wrong key returns to login", step_logout_and_bad_key),
]


CRITICAL = {step_login}


def main():
    global d
    if not TOKEN:
        print("usage: e2e_dashboard.py BASE_URL TOKEN (or TA_E2E_URL / TA_E2E_TOKEN)", file=sys.stderr)
        return 2
    passed = failed = 0
    d = make_driver()
    width = int(os.environ.get("TA_E2E_WIDTH", "1280"))
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    # A browser far from New York: market times on the page must not follow the browser's zone.
    d.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Tokyo"})
    try:
        for name, fn in STEPS:
            started = time.time()
            try:
                fn()
                passed += 1
                print(f"PASS  {name} ({time.time() - started:.1f}s)", flush=True)
            except Exception as error:  # noqa: BLE001 - report and go on
                failed += 1
                text = error.msg.splitlines()[0] if isinstance(error, WebDriverException) and error.msg else str(error)
                print(f"FAIL  {name}: {type(error).__name__ if not text else text}", flush=True)
                if os.environ.get("TA_E2E_DEBUG"):
                    traceback.print_exc()
                shot = os.path.join(os.environ.get("TA_E2E_FAIL_DIR", "/tmp"), f"e2e-dashboard-failure-{STEPS.index((name, fn)) + 1:02d}.png")
                try:
                    d.save_screenshot(shot)
                    print(f"      screenshot: {shot}", flush=True)
                except WebDriverException:
                    pass
                if fn in CRITICAL:
                    not_run = len(STEPS) - STEPS.index((name, fn)) - 1
                    print(f"      stopping: the remaining {not_run} steps need this one", flush=True)
                    failed += not_run
                    break
    finally:
        d.quit()
    print(f"{passed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
