#!/usr/bin/env python3
"""Drives `trading-assistant mcp` with the official Python MCP client (PyPI `mcp`):
lists the tools, calls `quotes`, calls `preview_order` and checks it returns a preview with a
confirmation token, not an order, and that no position or order exists afterwards; and that the
server's stderr (logs and the dashboard line) never shows the API key or a login code.

Usage: scripts/check-mcp.py [path/to/trading-assistant]   (default .build/debug/trading-assistant)
Prints `N passed, N failed`; exits non-zero on any failure.
"""
import asyncio
import json
import os
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

BINARY = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/trading-assistant"
results = {"passed": 0, "failed": 0}


def check(condition, what):
    if condition:
        results["passed"] += 1
        print(f"ok   {what}")
    else:
        results["failed"] += 1
        print(f"FAIL {what}")


def payload(result):
    """The JSON part of a tool result (structured content, else the JSON text block)."""
    if getattr(result, "structured_content", None):
        return result.structured_content
    for block in result.content:
        text = getattr(block, "text", "")
        try:
            return json.loads(text)
        except ValueError:
            continue
    return {}


def text_of(result):
    return "\n".join(getattr(block, "text", "") for block in result.content)


async def main():
    data = tempfile.mkdtemp(prefix="ta-mcp-")
    key = "mcp-check-key-0123456789"
    # always_open: the simulated market ticks whatever the hour the check runs at.
    env = dict(os.environ, TA_DATA_DIR=data, TA_API_KEY=key, TA_LOG_LEVEL="warning", TA_SIM_SESSION="always_open")
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=env)
    errlog = open(os.path.join(data, "stderr.log"), "w+")
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check(init.server_info.name == "trading-assistant", "server identifies itself")
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            expected = {"quotes", "picks", "validate_plan", "suggest_size", "set_alert", "list_alerts", "preview_order",
                        "cancel_order", "add_journal_entry", "risk", "positions", "journal_stats", "market_status"}
            check(expected <= set(tools), f"lists the 13 tools (got {sorted(tools)})")
            check(not any("place" in name for name in tools), "no tool places orders")
            check(tools["quotes"].input_schema.get("required") == ["symbols"], "tools carry their JSON schema")

            # Prices arrive within a second or two of start.
            quote = {}
            for _ in range(50):
                result = await session.call_tool("quotes", {"symbols": ["AAPL"]})
                quote = payload(result)
                if quote.get("data", quote).get("quotes", [{}])[0].get("last") is not None:
                    break
                await asyncio.sleep(0.2)
            body = quote.get("data", quote)
            check(body.get("quotes", [{}])[0].get("symbol") == "AAPL" and body["quotes"][0].get("last"), f"quotes AAPL: {body}")

            bad = await session.call_tool("quotes", {"symbols": "AAPL"})
            check(bad.is_error, "arguments are validated against the schema")

            preview = await session.call_tool("preview_order", {"symbol": "AAPL", "action": "buy", "quantity": 5, "type": "market"})
            text = text_of(preview)
            data_ = payload(preview)
            check(not preview.is_error, f"preview_order answers: {text[:200]}")
            check("ct_" in json.dumps(data_) or "confirmation_token" in json.dumps(data_), "the preview carries a confirmation token")
            check("not placed" in text.lower(), "the result says it was not placed")

            positions = payload(await session.call_tool("positions", {}))
            check(positions.get("data", positions).get("positions") == [], f"no position was opened: {positions}")
            risk = payload(await session.call_tool("risk", {}))
            check("state" in json.dumps(risk), "risk answers")
    errlog.seek(0)
    stderr = errlog.read()
    check("Open the dashboard: http://" in stderr, "the dashboard line goes to stderr")
    check(key not in stderr and "login=" not in stderr and "token=" not in stderr, "stderr shows no key and no login code")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
