import json
P = lambda name: {"$ref": f"#/components/schemas/{name}"}
R = lambda name: {"$ref": f"#/components/responses/{name}"}
def jsonbody(schema, desc=None):
    d = {"content": {"application/json": {"schema": schema}}}
    if desc: d["description"] = desc
    return d
money = {"type": "number", "description": "Exact decimal (money or price); never rounded through binary floating point."}
pct = {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "description": "Percent of equity (1 = 1 %)."}
ts = {"type": "string", "format": "date-time", "description": "ISO-8601 UTC with milliseconds."}
symbol = {"type": "string", "minLength": 1, "maxLength": 21, "description": "Ticker (AAPL, BRK.B) or OCC option symbol (AAPL230616C00150000); case-insensitive on input, upper-case on output.", "example": "AAPL"}
def problem_responses(*codes):
    out = {}
    names = {"400": "BadRequest", "401": "Unauthorized", "404": "NotFound", "409": "Conflict", "413": "TooLarge", "415": "UnsupportedMediaType", "422": "ValidationFailed"}
    for c in codes: out[c] = R(names[c])
    return out
api_errors = ("401",)
body_errors = ("400", "401", "413", "415", "422")
security = [{"bearer": []}, {"apiKey": []}]
doc = {
  "openapi": "3.1.0",
  "info": {"title": "Trading Assistant API", "version": "0.1.0",
           "description": "Self-hosted trading assistant. Every /api/v1 route needs the API key or a session token from POST /auth/login (Authorization: Bearer KEY or X-API-Key: KEY). Errors are application/problem+json (RFC 9457)."},
  "servers": [{"url": "http://127.0.0.1:8000"}],
  "security": security,
  "paths": {
    "/": {"get": {"operationId": "dashboard", "summary": "The web dashboard (HTML).", "security": [], "tags": ["dashboard"],
                   "responses": {"200": {"description": "Dashboard page", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
    "/assets/{file}": {"get": {"operationId": "dashboardAsset", "summary": "The dashboard's scripts (ES modules), style sheets and images.", "security": [], "tags": ["dashboard"],
                   "parameters": [{"name": "file", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"}}],
                   "responses": {"200": {"description": "The file", "content": {"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}}},
                                 "404": {"description": "No such asset", "content": {"application/problem+json": {"schema": P("Problem")}}}}}},
    "/health": {"get": {"operationId": "health", "summary": "Liveness: the process answers.", "security": [], "tags": ["operations"],
                        "responses": {"200": {"description": "Up", **jsonbody(P("Health"))}}}},
    "/ready": {"get": {"operationId": "ready", "summary": "Readiness: every registered check passes (database, market data, broker). Without credentials only the status and the names of failing checks; with the API key or a session, every check with its detail.", "security": [], "tags": ["operations"],
                       "responses": {"200": {"description": "Ready", **jsonbody({"oneOf": [P("Ready"), P("PublicReady")]})}, "503": {"description": "Not ready; the failing checks are named (with the key: and say why)", **jsonbody({"oneOf": [P("Ready"), P("PublicReady")]})},
                                     "429": R("TooManyAuthFailures")}}},
    "/auth/login": {"post": {"operationId": "login", "summary": "Trade a one-time login code (from the start-up line or POST /api/v1/auth/codes) or the API key for a session token (12 h). Wrong, used or expired codes and wrong keys count toward the failed-authentication limit.", "security": [], "tags": ["auth"],
                             "requestBody": {"required": True, **jsonbody(P("LoginRequest"))},
                             "responses": {"200": {"description": "Session", **jsonbody(P("Session"))}, "401": {"description": "Wrong, used or expired code, or wrong key (code login_failed)", "content": {"application/problem+json": {"schema": P("Problem")}}},
                                           "429": R("TooManyAuthFailures"), **problem_responses("400", "413", "415", "422")}}},
    "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.", "security": [], "tags": ["operations"],
                              "responses": {"200": {"description": "OpenAPI 3.1 document", **jsonbody({"type": "object"})}}}},
    "/api/v1/settings": {
      "get": {"operationId": "getSettings", "summary": "Current settings.", "tags": ["settings"],
              "responses": {"200": {"description": "Settings", **jsonbody(P("Settings"))}, **problem_responses(*api_errors)}},
      "patch": {"operationId": "patchSettings", "summary": "Change settings (JSON merge patch; null clears optional limits). Every invalid field is reported at once.", "tags": ["settings"],
                "requestBody": {"required": True, **jsonbody(P("SettingsPatch"))},
                "responses": {"200": {"description": "Updated settings", **jsonbody(P("Settings"))}, **problem_responses(*body_errors, "409")}}},
    "/api/v1/watchlist": {
      "get": {"operationId": "getWatchlist", "summary": "Watched symbols in order.", "tags": ["watchlist"],
              "responses": {"200": {"description": "Watchlist", **jsonbody(P("Watchlist"))}, **problem_responses(*api_errors)}},
      "put": {"operationId": "replaceWatchlist", "summary": "Replace the whole list (duplicates dropped).", "tags": ["watchlist"],
              "requestBody": {"required": True, **jsonbody(P("Watchlist"))},
              "responses": {"200": {"description": "New watchlist", **jsonbody(P("Watchlist"))}, **problem_responses(*body_errors)}},
      "post": {"operationId": "addToWatchlist", "summary": "Append a symbol (no-op if present).", "tags": ["watchlist"],
               "requestBody": {"required": True, **jsonbody(P("WatchlistAdd"))},
               "responses": {"201": {"description": "Added", **jsonbody(P("Watchlist"))}, "200": {"description": "Already present", **jsonbody(P("Watchlist"))}, **problem_responses(*body_errors)}}},
    "/api/v1/watchlist/{symbol}": {
      "delete": {"operationId": "removeFromWatchlist", "summary": "Remove a symbol.", "tags": ["watchlist"],
                 "parameters": [{"name": "symbol", "in": "path", "required": True, "schema": symbol}],
                 "responses": {"204": {"description": "Removed"}, **problem_responses("401", "404", "422")}}},
    "/api/v1/journal": {
      "get": {"operationId": "listJournal", "summary": "Journal entries, newest first, with cursor pages.", "tags": ["journal"],
              "parameters": [
                {"name": "symbol", "in": "query", "schema": symbol},
                {"name": "tag", "in": "query", "schema": {"type": "string", "pattern": "^[a-z0-9-]{1,32}$"}},
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}},
                {"name": "from", "in": "query", "description": "Opened at or after (ISO-8601 with zone).", "schema": {"type": "string", "format": "date-time"}},
                {"name": "to", "in": "query", "description": "Opened before (ISO-8601 with zone).", "schema": {"type": "string", "format": "date-time"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                {"name": "cursor", "in": "query", "description": "next_cursor of the previous page.", "schema": {"type": "string"}}],
              "responses": {"200": {"description": "One page", **jsonbody(P("JournalPage"))}, **problem_responses("401", "422")}},
      "post": {"operationId": "createJournalEntry", "summary": "Add an entry; P&L and R multiple are computed.", "tags": ["journal"],
               "requestBody": {"required": True, **jsonbody(P("JournalEntryInput"))},
               "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}}, **jsonbody(P("JournalEntry"))}, **problem_responses(*body_errors)}}},
    "/api/v1/journal/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
      "get": {"operationId": "getJournalEntry", "summary": "One entry.", "tags": ["journal"],
              "responses": {"200": {"description": "Entry", **jsonbody(P("JournalEntry"))}, **problem_responses("401", "404")}},
      "patch": {"operationId": "patchJournalEntry", "summary": "Change an entry (JSON merge patch; exit_price null reopens it).", "tags": ["journal"],
                "requestBody": {"required": True, **jsonbody(P("JournalEntryPatch"))},
                "responses": {"200": {"description": "Updated entry", **jsonbody(P("JournalEntry"))}, **problem_responses(*body_errors, "404")}},
      "delete": {"operationId": "deleteJournalEntry", "summary": "Delete an entry.", "tags": ["journal"],
                 "responses": {"204": {"description": "Deleted"}, **problem_responses("401", "404")}}},

    "/api/v1/plan/validate": {
      "post": {"operationId": "validatePlan", "summary": "Check a plan: errors and warnings with stable codes, summary, R multiples, R bands and a suggested size. Rule violations are 200 with valid=false; bad shape is 422.", "tags": ["planning"],
               "requestBody": {"required": True, **jsonbody(P("PlanRequest"))},
               "responses": {"200": {"description": "Evaluation", **jsonbody(P("PlanEvaluation"))}, **problem_responses(*body_errors)}}},
    "/api/v1/sizing/suggest": {
      "post": {"operationId": "suggestSize", "summary": "Turn a risk budget into a quantity (whole shares, or contracts ×100), capped by buying power and maximum position size, with alternatives. Degenerate input is 422.", "tags": ["planning"],
               "requestBody": {"required": True, **jsonbody(P("SizingRequest"))},
               "responses": {"200": {"description": "Suggested size", **jsonbody(P("SizingResult"))}, **problem_responses(*body_errors)}}},
    "/api/v1/plans": {
      "get": {"operationId": "listPlans", "summary": "Saved plans, newest first, with cursor pages.", "tags": ["planning"],
              "parameters": [{"name": "symbol", "in": "query", "schema": symbol},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                             {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
              "responses": {"200": {"description": "One page", **jsonbody(P("SavedPlanPage"))}, **problem_responses("401", "422")}},
      "post": {"operationId": "savePlan", "summary": "Save a plan that passes validation.", "tags": ["planning"],
               "requestBody": {"required": True, **jsonbody(P("PlanFields"))},
               "responses": {"201": {"description": "Saved", "headers": {"Location": {"schema": {"type": "string"}}}, **jsonbody(P("SavedPlan"))}, **problem_responses(*body_errors)}}},
    "/api/v1/plans/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
      "get": {"operationId": "getPlan", "summary": "One saved plan with its evaluation under the current settings.", "tags": ["planning"],
              "responses": {"200": {"description": "Plan", **jsonbody(P("SavedPlan"))}, **problem_responses("401", "404")}},
      "patch": {"operationId": "patchPlan", "summary": "Change a saved plan (JSON merge patch); the result must still pass validation.", "tags": ["planning"],
                "requestBody": {"required": True, **jsonbody({"type": "object"})},
                "responses": {"200": {"description": "Updated plan", **jsonbody(P("SavedPlan"))}, **problem_responses(*body_errors, "404")}},
      "delete": {"operationId": "deletePlan", "summary": "Delete a saved plan.", "tags": ["planning"],
                 "responses": {"204": {"description": "Deleted"}, **problem_responses("401", "404")}}},

    "/api/v1/quotes": {
      "get": {"operationId": "getQuotes", "summary": "Latest quote per symbol (default: the watchlist), with as_of, source and stale.", "tags": ["market"],
              "parameters": [{"name": "symbols", "in": "query", "description": "Comma-separated symbols.", "schema": {"type": "string", "example": "AAPL,MSFT"}}],
              "responses": {"200": {"description": "Quotes", **jsonbody(P("Quotes"))}, **problem_responses("401", "422")}}},
    "/api/v1/bars/{symbol}": {
      "get": {"operationId": "getBars", "summary": "Recent bars for charts, oldest first.", "tags": ["market"],
              "parameters": [{"name": "symbol", "in": "path", "required": True, "schema": symbol},
                             {"name": "timespan", "in": "query", "schema": {"type": "string", "enum": ["minute", "day"], "default": "minute"}},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000}}],
              "responses": {"200": {"description": "Bars", **jsonbody(P("Bars"))}, **problem_responses("401", "422"),
                            "503": {"description": "The provider could not supply bars", "content": {"application/problem+json": {"schema": P("Problem")}}}}}},
    "/api/v1/diag/feeds": {
      "get": {"operationId": "diagFeeds", "summary": "Market-data feed: provider, state, age of the last message, reconnects, messages per second, stale symbols.", "tags": ["operations"],
              "responses": {"200": {"description": "Feed diagnostics", **jsonbody(P("FeedDiagnostics"))}, **problem_responses("401")}}},
    "/api/v1/auth/codes": {
      "post": {"operationId": "createLoginCode", "summary": "A one-time login code (single use, 5 minutes) and its dashboard URL /?login=CODE, to sign in another browser or device without the key.", "tags": ["auth"],
               "responses": {"201": {"description": "Code", **jsonbody(P("LoginCode"))}, **problem_responses("401")}}},
    "/api/v1/auth/logout": {
      "post": {"operationId": "logout", "summary": "Ends the session whose token authenticates this request (nothing to end for the API key).", "tags": ["auth"],
               "responses": {"204": {"description": "Signed out"}, **problem_responses("401")}}},
    "/api/v1/ws/token": {
      "post": {"operationId": "createWebSocketToken", "summary": "A single-use token (valid 60 s) for opening the WebSocket.", "tags": ["websocket"],
               "responses": {"200": {"description": "Token", **jsonbody(P("WebSocketToken"))}, **problem_responses("401")}}},
    "/api/v1/ws": {
      "get": {"operationId": "openWebSocket", "summary": "WebSocket upgrade. Authenticated by the single-use token, not the API key; a bad, used or expired token closes the socket with 1008; a foreign Origin is refused. Client sends {action: subscribe|unsubscribe, topics: [prices, alerts, risk, orders, status]}; server sends {type, data, ts} with type price, alert, risk, order, fill, position or status.", "tags": ["websocket"],
              "security": [],
              "parameters": [{"name": "token", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1}}],
              "responses": {"101": {"description": "Switching protocols"},
                            "400": {"description": "No token", "content": {"application/problem+json": {"schema": P("Problem")}}},
                            "403": {"description": "Origin not allowed", "content": {"application/problem+json": {"schema": P("Problem")}}},
                            "426": {"description": "Not a WebSocket upgrade request", "content": {"application/problem+json": {"schema": P("Problem")}}},
                            "503": {"description": "Too many WebSocket clients (TA_MAX_WS_CLIENTS)", "content": {"application/problem+json": {"schema": P("Problem")}}}}}},

    "/api/v1/alerts": {
      "get": {"operationId": "listAlerts", "summary": "Alerts, newest first, with cursor pages.", "tags": ["alerts"],
              "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "triggered", "expired", "disabled"]}},
                             {"name": "symbol", "in": "query", "schema": symbol},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                             {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
              "responses": {"200": {"description": "One page", **jsonbody(P("AlertPage"))}, **problem_responses("401", "422")}},
      "post": {"operationId": "createAlert", "summary": "Create an alert; it is evaluated on every tick from now on (and fires at once if a level condition already holds).", "tags": ["alerts"],
               "requestBody": {"required": True, **jsonbody(P("AlertInput"))},
               "responses": {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}}, **jsonbody(P("Alert"))}, **problem_responses(*body_errors)}}},
    "/api/v1/alerts/triggers": {
      "get": {"operationId": "listAlertTriggers", "summary": "Stored firings, newest first.", "tags": ["alerts"],
              "parameters": [{"name": "alert_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                             {"name": "symbol", "in": "query", "schema": symbol},
                             {"name": "source", "in": "query", "schema": {"type": "string", "enum": ["stream", "poll", "catch_up", "snapshot"]}},
                             {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                             {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                             {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
              "responses": {"200": {"description": "One page", **jsonbody(P("AlertTriggerPage"))}, **problem_responses("401", "422")}}},
    "/api/v1/alerts/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
      "get": {"operationId": "getAlert", "summary": "One alert.", "tags": ["alerts"],
              "responses": {"200": {"description": "Alert", **jsonbody(P("Alert"))}, **problem_responses("401", "404")}},
      "patch": {"operationId": "patchAlert", "summary": "Change an alert (merge patch); status active re-arms it, disabled turns it off.", "tags": ["alerts"],
                "requestBody": {"required": True, **jsonbody({"type": "object"})},
                "responses": {"200": {"description": "Updated alert", **jsonbody(P("Alert"))}, **problem_responses(*body_errors, "404")}},
      "delete": {"operationId": "deleteAlert", "summary": "Delete an alert (its firings stay in the history).", "tags": ["alerts"],
                 "responses": {"204": {"description": "Deleted"}, **problem_responses("401", "404")}}},

    "/api/v1/journal/stats": {
      "get": {"operationId": "journalStats", "summary": "Win rate, average win and loss, expectancy (money and R), profit factor, max drawdown and the equity curve, overall and by tag and symbol.", "tags": ["journal"],
              "parameters": [{"name": "symbol", "in": "query", "schema": symbol}, {"name": "tag", "in": "query", "schema": {"type": "string"}},
                             {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}}, {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}}],
              "responses": {"200": {"description": "Statistics", **jsonbody(P("JournalStats"))}, **problem_responses("401", "422")}}},
    "/api/v1/settings/discord/test": {
      "post": {"operationId": "testDiscord", "summary": "Send a test message to the configured Discord webhook now and report Discord's answer.", "tags": ["settings"],
               "responses": {"200": {"description": "What Discord answered", **jsonbody(P("DiscordTest"))}, **problem_responses("401", "409")}}},
    "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics (text format 0.0.4). Needs the API key.", "tags": ["operations"],
                         "responses": {"200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}, **problem_responses(*api_errors)}}},
    "/api/v1/diag/config": {
      "get": {"operationId": "diagConfig", "summary": "Effective configuration, every secret redacted.", "tags": ["operations"],
              "responses": {"200": {"description": "Configuration", **jsonbody({"type": "object", "required": ["config"], "properties": {"config": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}}})}, **problem_responses(*api_errors)}}},
    "/api/v1/diag/ws": {
      "get": {"operationId": "diagWebSocket", "summary": "WebSocket clients, drops and queue depths.", "tags": ["operations"],
              "responses": {"200": {"description": "WebSocket state", **jsonbody({"type": "object", "required": ["clients", "max_clients", "connected_total", "dropped_total", "frames_sent", "deepest_queue", "max_queue", "auth_blocked_addresses"], "properties": {
                  "clients": {"type": "integer"}, "max_clients": {"type": "integer"}, "connected_total": {"type": "integer"}, "dropped_total": {"type": "integer"},
                  "frames_sent": {"type": "integer"}, "deepest_queue": {"type": "integer"}, "max_queue": {"type": "integer"}, "auth_blocked_addresses": {"type": "integer"}}})}, **problem_responses(*api_errors)}}},
    "/api/v1/diag/engine": {
      "get": {"operationId": "diagEngine", "summary": "Alert engine: alerts armed, ticks evaluated, firings, per-tick evaluation latency.", "tags": ["operations"],
              "responses": {"200": {"description": "Engine state", **jsonbody({"type": "object", "required": ["alerts_armed", "ticks_evaluated", "firings", "firings_stored", "ticks_ingested", "evaluation_latency_us"], "properties": {
                  "alerts_armed": {"type": "integer"}, "ticks_evaluated": {"type": "integer"}, "firings": {"type": "integer"}, "firings_stored": {"type": "integer"},
                  "ticks_ingested": {"type": "integer"}, "evaluation_latency_us": {"type": "object", "properties": {"samples": {"type": "integer"}, "mean": {"type": ["number", "null"]},
                      "p50_at_most": {"type": ["number", "null"]}, "p99_at_most": {"type": ["number", "null"]}, "p999_at_most": {"type": ["number", "null"]}}}}})}, **problem_responses(*api_errors)}}},
    "/api/v1/diag/db": {
      "get": {"operationId": "diagDatabase", "summary": "Database backend, reachability, ping time and applied migrations.", "tags": ["operations"],
              "responses": {"200": {"description": "Database state", **jsonbody({"type": "object", "required": ["backend", "reachable", "ping_ms", "migrations"], "properties": {
                  "backend": {"type": "string"}, "reachable": {"type": "boolean"}, "ping_ms": {"type": "number"}, "error": {"type": "string"},
                  "migrations": {"type": "array", "items": {"type": "string"}}}})}, **problem_responses(*api_errors)}}},
    "/api/v1/diag/outbox": {
      "get": {"operationId": "diagOutbox", "summary": "Discord outbox: backlog, failures, dead letters, rate-limit pause.", "tags": ["operations"],
              "responses": {"200": {"description": "Outbox state", **jsonbody(P("OutboxDiagnostics"))}, **problem_responses(*api_errors)}}},
    "/api/v1/diag/broker": {
      "get": {"operationId": "diagBroker", "summary": "Broker and reconciliation state (why new orders are blocked, if they are).", "tags": ["operations"],
              "responses": {"200": {"description": "Broker state", **jsonbody(P("BrokerDiagnostics"))}, **problem_responses(*api_errors)}}},
    "/api/v1/coach/chat": {
      "post": {"operationId": "coachChat", "summary": "Ask the coach. The reply carries a confidence (0-1), the sources of every piece of data used, and actions (e.g. an order preview to confirm). The coach never places orders.", "tags": ["coach"],
               "requestBody": {"required": True, **jsonbody({"type": "object", "required": ["message"], "additionalProperties": False, "properties": {
                   "message": {"type": "string", "minLength": 1, "maxLength": 2000}, "conversation_id": {"type": ["string", "null"], "format": "uuid", "description": "Continue this conversation; absent or null starts a new one."}}})},
               "responses": {"200": {"description": "The coach's answer", **jsonbody(P("CoachAnswer"))},
                             "502": {"description": "The coach backend (Chat Data or the OpenAI-compatible server) failed", "content": {"application/problem+json": {"schema": P("Problem")}}},
                             **problem_responses(*body_errors, "404")}}},
    "/api/v1/coach/conversations/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
      "get": {"operationId": "coachConversation", "summary": "A stored conversation, oldest message first.", "tags": ["coach"],
              "responses": {"200": {"description": "Conversation", **jsonbody({"type": "object", "required": ["id", "messages"], "properties": {
                  "id": {"type": "string"}, "messages": {"type": "array", "items": {"type": "object", "required": ["role", "content", "sources", "actions", "time"], "properties": {
                      "role": {"type": "string", "enum": ["user", "assistant"]}, "content": {"type": "string"}, "confidence": {"type": "number"},
                      "sources": {"type": "array", "items": P("CoachSource")}, "actions": {"type": "array", "items": P("CoachAction")}, "time": ts}}}}})},
                            **problem_responses("401", "404")}}},
    "/api/v1/coach/tools": {
      "get": {"operationId": "coachTools", "summary": "The tools the coach and the MCP server share, with their argument schemas.", "tags": ["coach"],
              "responses": {"200": {"description": "Tools", **jsonbody({"type": "object", "required": ["backend", "tools"], "properties": {
                  "backend": {"type": "string", "enum": ["builtin", "chatdata", "openai"]},
                  "tools": {"type": "array", "items": {"type": "object", "required": ["name", "description", "parameters"], "properties": {
                      "name": {"type": "string"}, "description": {"type": "string"}, "parameters": {"type": "object"}}}}}})},
                            **problem_responses(*api_errors)}}},
    "/api/v1/risk": {
      "get": {"operationId": "getRisk", "summary": "Portfolio risk: state (active, reducing, halted) with the reason, snapshot (equity, exposure, open risk, day P&L, per position), current breaches, open episodes, limits.", "tags": ["risk"],
              "responses": {"200": {"description": "Risk report", **jsonbody(P("Risk"))}, "503": R("BrokerUnavailable"), **problem_responses(*api_errors)}}},
    "/api/v1/risk/halt": {
      "post": {"operationId": "haltTrading", "summary": "Kill switch: halt new orders (cancels stay allowed) until resumed; survives restarts.", "tags": ["risk"],
               "requestBody": {"required": True, **jsonbody({"type": "object", "required": ["reason"], "additionalProperties": False, "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 200}}})},
               "responses": {"200": {"description": "Halted", **jsonbody(P("Risk"))}, **problem_responses(*body_errors)}}},
    "/api/v1/risk/resume": {
      "post": {"operationId": "resumeTrading", "summary": "Lift a halt (refused with 409 daily_loss_open while the day's loss limit is still breached).", "tags": ["risk"],
               "requestBody": {"required": True, **jsonbody({"type": "object", "additionalProperties": False, "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 200}}})},
               "responses": {"200": {"description": "Resumed", **jsonbody(P("Risk"))}, **problem_responses(*body_errors, "409")}}},
    "/api/v1/risk/firings": {
      "get": {"operationId": "riskFirings", "summary": "Risk breach firings, newest first (one per breach episode).", "tags": ["risk"],
              "responses": {"200": {"description": "Firings", **jsonbody({"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": P("RiskFiring")}}})}, **problem_responses(*api_errors)}}},
    "/api/v1/account": {
      "get": {"operationId": "getAccount", "summary": "Broker account balances.", "tags": ["orders"],
              "responses": {"200": {"description": "Account", **jsonbody(P("Account"))}, "503": R("BrokerUnavailable"), **problem_responses(*api_errors)}}},
    "/api/v1/positions": {
      "get": {"operationId": "getPositions", "summary": "Open positions with market value and unrealised P&L.", "tags": ["orders"],
              "responses": {"200": {"description": "Positions", **jsonbody({"type": "object", "required": ["positions"], "properties": {"positions": {"type": "array", "items": P("Position")}}})}, "503": R("BrokerUnavailable"), **problem_responses(*api_errors)}}},
    "/api/v1/orders": {
      "get": {"operationId": "listOrders", "summary": "Our orders, newest first.", "tags": ["orders"],
              "parameters": [{"name": "status", "in": "query", "schema": {"type": "string"}, "description": "'working' or a comma list of statuses."},
                             {"name": "symbol", "in": "query", "schema": symbol}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}}],
              "responses": {"200": {"description": "Orders", **jsonbody({"type": "object", "required": ["orders"], "properties": {"orders": {"type": "array", "items": P("Order")}}})}, **problem_responses("401", "422")}},
      "post": {"operationId": "placeOrder", "summary": "Place the order a preview issued the confirmation token for. Repeating the token returns the same order (200).", "tags": ["orders"],
               "requestBody": {"required": True, **jsonbody({"type": "object", "required": ["confirmation_token"], "additionalProperties": False, "properties": {"confirmation_token": {"type": "string", "minLength": 1, "maxLength": 128}}})},
               "responses": {"201": {"description": "Placed (sent to the broker)", **jsonbody(P("Order"))}, "200": {"description": "Placed before with this token", **jsonbody(P("Order"))},
                             "503": R("BrokerUnavailable"), **problem_responses(*body_errors, "409")}}},
    "/api/v1/orders/preview": {
      "post": {"operationId": "previewOrder", "summary": "Validate an order, run the pre-trade checks and the broker's preview; returns the cost and a single-use confirmation token (60 s). With {resend_of: id}: 'send anyway' for an order whose outcome is unknown (a new order with the same fields and frozen exits, to confirm like any other).", "tags": ["orders"],
               "requestBody": {"required": True, **jsonbody({"oneOf": [P("OrderTicket"), {"type": "object", "required": ["resend_of"], "additionalProperties": False, "properties": {"resend_of": {"type": "string", "minLength": 1, "maxLength": 64}}}]})},
               "responses": {"200": {"description": "Preview", **jsonbody(P("OrderPreview"))}, "503": R("BrokerUnavailable"), **problem_responses(*body_errors, "409")}}},
    "/api/v1/orders/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
      "get": {"operationId": "getOrder", "summary": "One order with its fills.", "tags": ["orders"],
              "responses": {"200": {"description": "Order", **jsonbody(P("Order"))}, **problem_responses("401", "404")}},
      "delete": {"operationId": "cancelOrder", "summary": "Ask the broker to cancel; the outcome arrives as an order event.", "tags": ["orders"],
                 "responses": {"202": {"description": "Cancel requested", **jsonbody(P("Order"))}, "503": R("BrokerUnavailable"), **problem_responses("401", "404", "409", "422")}}},
    "/api/v1/orders/{id}/check": {
      "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
      "post": {"operationId": "checkOrder", "summary": "Check again: look the order up at the broker by its tag now (for an order whose outcome is unknown) and return what is known.", "tags": ["orders"],
               "responses": {"200": {"description": "Order", **jsonbody(P("Order"))}, "503": R("BrokerUnavailable"), **problem_responses("401", "404")}}},
  },
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
    "responses": {
      "BadRequest": {"description": "Malformed request (e.g. invalid JSON, with where it broke)", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "Unauthorized": {"description": "Missing or wrong API key or session token", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "TooManyAuthFailures": {"description": "Too many wrong keys, session tokens or login codes from this address in a minute (code too_many_auth_failures); Retry-After says when to try again. The right key is never refused.",
                              "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/problem+json": {"schema": P("Problem")}}},
      "NotFound": {"description": "Unknown id", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "Conflict": {"description": "Changed concurrently; retry", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "TooLarge": {"description": "Body larger than TA_MAX_BODY_BYTES", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "UnsupportedMediaType": {"description": "Body is not application/json", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "ValidationFailed": {"description": "Invalid fields, all listed in errors", "content": {"application/problem+json": {"schema": P("Problem")}}},
      "BrokerUnavailable": {"description": "The broker cannot be reached or limits us; try again", "content": {"application/problem+json": {"schema": P("Problem")}}},
    },
    "schemas": {
      "Problem": {"type": "object", "required": ["type", "title", "status", "detail", "code"], "properties": {
          "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
          "code": {"type": "string", "description": "Stable machine-readable reason, e.g. validation_failed."},
          "instance": {"type": "string"}, "errors": {"type": "array", "items": P("FieldError")},
          "checks": {"type": "array", "items": P("PreTradeCheck")}, "order_id": {"type": "string"}}},
      "FieldError": {"type": "object", "required": ["field", "message"], "properties": {"field": {"type": "string", "example": "risk.max_daily_loss"}, "message": {"type": "string"}}},
      "Health": {"type": "object", "required": ["status", "version", "uptime_s"], "properties": {"status": {"type": "string", "enum": ["ok"]}, "version": {"type": "string"}, "uptime_s": {"type": "integer"}}},
      "PublicReady": {"type": "object", "required": ["status", "failing"], "properties": {
          "status": {"type": "string", "enum": ["ready", "not_ready"]},
          "failing": {"type": "array", "items": {"type": "string"}, "description": "Names of the failing checks (database, market_data, broker)."}}},
      "LoginRequest": {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False, "properties": {
          "code": {"type": "string", "minLength": 1, "maxLength": 200, "description": "One-time login code."},
          "api_key": {"type": "string", "minLength": 1, "maxLength": 1000, "description": "The API key."}}},
      "Session": {"type": "object", "required": ["token", "expires_at"], "properties": {
          "token": {"type": "string", "description": "Send as Authorization: Bearer TOKEN or X-API-Key: TOKEN."}, "expires_at": ts}},
      "LoginCode": {"type": "object", "required": ["code", "url", "expires_at"], "properties": {
          "code": {"type": "string"}, "url": {"type": "string", "example": "/?login=3f9c0d…"}, "expires_at": ts}},
      "Ready": {"type": "object", "required": ["status", "checks"], "properties": {
          "status": {"type": "string", "enum": ["ready", "not_ready"]},
          "checks": {"type": "array", "items": {"type": "object", "required": ["name", "ok", "detail"], "properties": {"name": {"type": "string"}, "ok": {"type": "boolean"}, "detail": {"type": "string"}}}}}},
      "RiskSettings": {"type": "object", "required": ["risk_per_trade_pct", "max_daily_loss", "max_daily_loss_pct", "max_open_risk_pct", "max_position_size_pct", "max_open_positions"], "properties": {
          "risk_per_trade_pct": pct, "max_daily_loss": {**money, "exclusiveMinimum": 0},
          "max_daily_loss_pct": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 100},
          "max_open_risk_pct": pct, "max_position_size_pct": pct,
          "max_open_positions": {"type": ["integer", "null"], "minimum": 1, "maximum": 10000}}},
      "AccountSettings": {"type": "object", "required": ["currency", "equity"], "properties": {
          "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}, "equity": {**money, "exclusiveMinimum": 0, "description": "Equity used when no broker account reports one."}}},
      "DiscordSettings": {"type": "object", "required": ["webhook_url", "enabled", "alert_types", "username"], "properties": {
          "webhook_url": {"type": ["string", "null"], "description": "Shown with the token masked (…/****)."},
          "enabled": {"type": "boolean"},
          "alert_types": {"type": "array", "items": {"type": "string", "enum": ["price_above", "price_below", "price_cross", "percent_change", "risk"]}},
          "username": {"type": ["string", "null"]},
          "disabled_reason": {"type": ["string", "null"], "description": "Why the server switched forwarding off (e.g. the webhook was deleted). Read-only."}}},
      "CoachSource": {"type": "object", "required": ["tool", "provider", "as_of", "detail"], "properties": {
          "tool": {"type": "string"}, "provider": {"type": "string"}, "as_of": {"type": ["string", "null"], "format": "date-time"}, "detail": {"type": "string"}}},
      "CoachAction": {"type": "object", "required": ["type", "label", "confirmation_token", "expires_at", "order"], "properties": {
          "type": {"type": "string", "enum": ["confirm_order", "confirm_cancel"]}, "label": {"type": "string"}, "confirmation_token": {"type": ["string", "null"]},
          "expires_at": ts, "order": {"type": "object"}}},
      "CoachAnswer": {"type": "object", "required": ["conversation_id", "reply", "confidence", "sources", "actions", "backend", "tools_used"], "properties": {
          "conversation_id": {"type": "string", "format": "uuid"}, "reply": {"type": "string"},
          "confidence": {"type": "number", "minimum": 0, "maximum": 1, "description": "From the rule in docs/coach.md: tool success, data freshness, intent certainty, the model's signals."},
          "sources": {"type": "array", "items": P("CoachSource")}, "actions": {"type": "array", "items": P("CoachAction")},
          "backend": {"type": "string"}, "tools_used": {"type": "array", "items": {"type": "string"}}}},
      "RiskFiring": {"type": "object", "required": ["type", "episode_id", "kind", "value", "limit", "message", "mode", "time"], "properties": {
          "type": {"type": "string", "enum": ["risk"]}, "episode_id": {"type": "string"}, "kind": {"type": "string", "enum": ["daily_loss", "open_risk", "position_size", "open_positions", "unprotected_position"]},
          "symbol": {"type": "string"}, "value": {"type": "number"}, "limit": {"type": "number"}, "message": {"type": "string"},
          "mode": {"type": "string", "enum": ["active", "reducing", "halted"]}, "time": ts}},
      "Risk": {"type": "object", "required": ["state", "since", "manual_halt", "trading_day", "breaches", "open_episodes", "limits"], "properties": {
          "state": {"type": "string", "enum": ["active", "reducing", "halted"]}, "reason": {"type": ["string", "null"]}, "since": ts,
          "manual_halt": {"type": "boolean"}, "trading_day": {"type": "string"}, "unprotected": {"type": "array", "items": P("Unprotected")},
          "snapshot": {"type": ["object", "null"], "properties": {
              "equity": money, "cash": money, "gross_exposure": money, "net_exposure": money, "long_exposure": money, "short_exposure": money,
              "open_risk": money, "open_risk_pct": {"type": ["number", "null"]}, "day_realized_pnl": money, "day_unrealized_pnl": money,
              "day_pnl": money, "day_pnl_pct": {"type": ["number", "null"]}, "day_start_equity": {"type": ["number", "null"]},
              "open_positions": {"type": "integer"}, "as_of": ts,
              "positions": {"type": "array", "items": {"type": "object", "properties": {
                  "symbol": symbol, "asset_class": {"type": "string"}, "side": {"type": "string"}, "quantity": {"type": "number"},
                  "multiplier": {"type": "integer"}, "price": money, "live_price": {"type": "boolean"}, "average_price": money,
                  "exposure": money, "market_value": money, "unrealized_pnl": money, "stop": {"type": ["number", "null"]},
                  "stop_source": {"type": ["string", "null"]}, "risk": money, "unprotected": {"type": "boolean"},
                  "exposure_pct": {"type": ["number", "null"]}, "risk_pct": {"type": ["number", "null"]}}}}}},
          "breaches": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string"}, "value": {"type": "number"},
              "limit": {"type": "number"}, "message": {"type": "string"}, "symbol": {"type": ["string", "null"]}}}},
          "open_episodes": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "kind": {"type": "string"},
              "symbol": {"type": ["string", "null"]}, "started_at": ts, "value": {"type": "number"}, "limit": {"type": "number"}, "message": {"type": "string"}}}},
          "limits": P("RiskSettings"), "error": {"type": ["string", "null"]}}},
      "DiscordTest": {"type": "object", "required": ["delivered", "outcome", "detail"], "properties": {
          "delivered": {"type": "boolean"}, "outcome": {"type": "string", "enum": ["delivered", "rate_limited", "gone", "rejected", "retry"]},
          "http_status": {"type": ["integer", "null"]}, "detail": {"type": "string"}, "message_id": {"type": ["string", "null"]}}},
      "OutboxDiagnostics": {"type": "object", "required": ["channel", "forwarding_enabled", "pending", "delivered", "dead", "abandoned", "problems"], "properties": {
          "channel": {"type": "string"}, "forwarding_enabled": {"type": "boolean"}, "disabled_reason": {"type": ["string", "null"]},
          "pending": {"type": "integer"}, "delivered": {"type": "integer"}, "dead": {"type": "integer"}, "abandoned": {"type": "integer"},
          "oldest_pending_at": {"type": "string", "format": "date-time"}, "oldest_pending_age_s": {"type": "number"}, "blocked_until": {"type": "string", "format": "date-time"},
          "sent_since_start": {"type": "integer"}, "failures_since_start": {"type": "integer"}, "last_http_status": {"type": "integer"},
          "last_error": {"type": "string"}, "last_attempt_at": {"type": "string", "format": "date-time"},
          "problems": {"type": "array", "items": {"type": "object", "required": ["id", "dedupe_key", "status", "attempts"], "properties": {
              "id": {"type": "string"}, "dedupe_key": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "delivered", "dead", "abandoned"]},
              "attempts": {"type": "integer"}, "next_attempt_at": {"type": "string", "format": "date-time"}, "last_error": {"type": "string"},
              "created_at": ts, "updated_at": ts}}}}},
      "BrokerDiagnostics": {"type": "object", "required": ["broker", "environment", "accepting_orders", "reconciliation_runs", "mismatches"], "properties": {
          "broker": {"type": "string"}, "environment": {"type": "string", "enum": ["paper", "sandbox", "live"]}, "accepting_orders": {"type": "boolean"},
          "block_reason": {"type": "string"}, "reconciled_at": {"type": "string", "format": "date-time"}, "reconciliation_runs": {"type": "integer"},
          "mismatches": {"type": "array", "items": {"type": "string"}}, "resolved_at_last_run": {"type": "array", "items": {"type": "string"}},
          "simulated_prices": {"type": "boolean"}, "unprotected": {"type": "array", "items": P("Unprotected")}}},
      "Unprotected": {"type": "object", "required": ["symbol", "entry_order_id", "quantity", "since", "reason"], "properties": {
          "symbol": {"type": "string"}, "entry_order_id": {"type": "string"}, "quantity": {"type": "number"},
          "since": {"type": "string", "format": "date-time"}, "reason": {"type": "string"}}},
      "Account": {"type": "object", "required": ["broker", "environment", "account_number", "equity", "cash", "buying_power", "long_market_value", "short_market_value", "as_of"], "properties": {
          "broker": {"type": "string"}, "environment": {"type": "string"}, "account_number": {"type": "string"}, "equity": money, "cash": money,
          "buying_power": money, "long_market_value": money, "short_market_value": money, "realized_pnl_today": money, "as_of": ts,
          "simulated_prices": {"type": "boolean", "description": "True when a real broker is priced from simulated data (TA_MARKET_DATA=simulated)."}}},
      "Position": {"type": "object", "required": ["symbol", "asset_class", "side", "quantity", "average_price", "cost_basis"], "properties": {
          "symbol": symbol, "asset_class": {"type": "string", "enum": ["equity", "option"]}, "side": {"type": "string", "enum": ["long", "short", "flat"]},
          "quantity": {"type": "number", "description": "Negative for shorts."}, "average_price": money, "cost_basis": money,
          "last_price": money, "market_value": money, "unrealized_pnl": money, "opened_at": ts, "closed": {"type": "boolean"}}},
      "OrderTicket": {"type": "object", "required": ["symbol", "action", "quantity", "type"], "additionalProperties": False, "properties": {
          "symbol": symbol, "action": {"type": "string", "enum": ["buy", "sell", "sell_short", "buy_to_cover", "buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close"]},
          "quantity": {"type": "integer", "minimum": 1, "maximum": 1000000}, "type": {"type": "string", "enum": ["market", "limit", "stop", "stop_limit"]},
          "duration": {"type": "string", "enum": ["day", "gtc"], "default": "day"},
          "limit_price": {"type": "number", "exclusiveMinimum": 0, "maximum": 10000000, "description": "limit and stop_limit only."},
          "stop_price": {"type": "number", "exclusiveMinimum": 0, "maximum": 10000000, "description": "stop and stop_limit only."},
          "plan_id": {"type": "string", "format": "uuid", "description": "The saved plan this order carries out (linked in the journal)."},
          "bracket": {"type": "boolean", "description": "With plan_id: after the entry fills, place the plan's stop and first target (one cancels the other)."}}},
      "OrderRequest": {"type": "object", "required": ["symbol", "action", "quantity", "type", "duration"], "properties": {
          "symbol": symbol, "action": {"type": "string"}, "quantity": {"type": "number"}, "type": {"type": "string"}, "duration": {"type": "string"},
          "limit_price": money, "stop_price": money, "bracket_role": {"type": "string", "enum": ["entry", "stop", "target"]}}},
      "PreTradeCheck": {"type": "object", "required": ["name", "outcome", "detail"], "properties": {
          "name": {"type": "string"}, "outcome": {"type": "string", "enum": ["pass", "warn", "fail"]}, "detail": {"type": "string"}}},
      "OrderPreview": {"type": "object", "required": ["order", "bracket", "exits", "estimated_cost", "commission", "fees", "checks", "confirmation_token", "expires_at"], "properties": {
          "order": P("OrderRequest"), "plan_id": {"type": "string", "format": "uuid"}, "bracket": {"type": "boolean"}, "exits": {"type": "array", "items": P("OrderRequest")},
          "estimated_price": money, "estimated_cost": money, "commission": money, "fees": money, "risk_amount": money,
          "checks": {"type": "array", "items": P("PreTradeCheck")}, "confirmation_token": {"type": "string"}, "expires_at": ts}},
      "Fill": {"type": "object", "required": ["id", "order_id", "symbol", "action", "quantity", "price", "commission", "time"], "properties": {
          "id": {"type": "string"}, "order_id": {"type": "string"}, "symbol": symbol, "action": {"type": "string"}, "quantity": {"type": "number"},
          "price": money, "commission": money, "time": ts}},
      "Order": {"type": "object", "required": ["id", "broker", "symbol", "asset_class", "action", "quantity", "type", "duration", "status", "final", "filled_quantity", "remaining_quantity", "created_at", "updated_at"], "properties": {
          "id": {"type": "string", "description": "Our client order id (sent to the broker as its tag)."}, "broker_order_id": {"type": "string"}, "broker": {"type": "string"},
          "symbol": symbol, "asset_class": {"type": "string", "enum": ["equity", "option"]}, "action": {"type": "string"}, "quantity": {"type": "number"},
          "type": {"type": "string", "enum": ["market", "limit", "stop", "stop_limit"]}, "duration": {"type": "string", "enum": ["day", "gtc"]},
          "limit_price": money, "stop_price": money, "plan_id": {"type": "string", "format": "uuid"}, "bracket_role": {"type": "string", "enum": ["entry", "stop", "target"]},
          "parent_id": {"type": "string"},
          "status": {"type": "string", "enum": ["pending", "sending", "unknown", "submitted", "open", "partially_filled", "filled", "canceled", "expired", "rejected", "error"]},
          "final": {"type": "boolean"}, "filled_quantity": {"type": "number"}, "remaining_quantity": {"type": "number"}, "average_fill_price": money,
          "reason": {"type": "string"}, "created_at": ts, "updated_at": ts, "fills": {"type": "array", "items": P("Fill")}}},
      "StatsGroup": {"type": "object", "properties": {"trades": {"type": "integer"}, "wins": {"type": "integer"}, "win_rate": {"type": ["number", "null"]},
          "total_pnl": money, "expectancy_r": {"type": ["number", "null"]}, "profit_factor": {"type": ["number", "null"]}}},
      "JournalStats": {"type": "object", "required": ["trades", "wins", "losses", "breakeven", "open_trades", "total_pnl", "max_drawdown", "equity_curve", "by_symbol", "by_tag"], "properties": {
          "trades": {"type": "integer"}, "wins": {"type": "integer"}, "losses": {"type": "integer"}, "breakeven": {"type": "integer"}, "open_trades": {"type": "integer"},
          "win_rate": {"type": ["number", "null"], "description": "Fraction 0-1."}, "average_win": {"type": ["number", "null"]}, "average_loss": {"type": ["number", "null"]},
          "largest_win": {"type": ["number", "null"]}, "largest_loss": {"type": ["number", "null"]}, "total_pnl": money, "total_fees": money,
          "expectancy": {"type": ["number", "null"]}, "expectancy_r": {"type": ["number", "null"]}, "average_r": {"type": ["number", "null"]}, "r_trades": {"type": "integer"},
          "profit_factor": {"type": ["number", "null"]}, "max_drawdown": money, "max_drawdown_pct": {"type": ["number", "null"]}, "starting_equity": {"type": ["number", "null"]},
          "equity_curve": {"type": "array", "items": {"type": "object", "properties": {"entry_id": {"type": "string"}, "time": ts, "pnl": money,
              "cumulative_pnl": money, "equity": {"type": ["number", "null"]}, "drawdown": money}}},
          "by_symbol": {"type": "object", "additionalProperties": P("StatsGroup")}, "by_tag": {"type": "object", "additionalProperties": P("StatsGroup")}}},
      "Settings": {"type": "object", "required": ["risk", "account", "discord"], "properties": {"risk": P("RiskSettings"), "account": P("AccountSettings"), "discord": P("DiscordSettings")}},
      "SettingsPatch": {"type": "object", "additionalProperties": False, "properties": {
          "risk": {"type": "object", "additionalProperties": False, "properties": {
              "risk_per_trade_pct": pct, "max_daily_loss": {**money, "exclusiveMinimum": 0, "maximum": 1000000000000},
              "max_daily_loss_pct": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 100},
              "max_open_risk_pct": pct, "max_position_size_pct": pct,
              "max_open_positions": {"type": ["integer", "null"], "minimum": 1, "maximum": 10000}}},
          "account": {"type": "object", "additionalProperties": False, "properties": {
              "currency": {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "equity": {**money, "exclusiveMinimum": 0, "maximum": 1000000000000}}},
          "discord": {"type": "object", "additionalProperties": False, "properties": {
              "webhook_url": {"type": ["string", "null"], "description": "https://discord.com/api/webhooks/{id}/{token} (also discordapp.com, canary./ptb. hosts, optional /api/vN); the masked value as read keeps the stored URL."},
              "enabled": {"type": "boolean"},
              "alert_types": {"type": "array", "maxItems": 10, "items": {"type": "string", "enum": ["price_above", "price_below", "price_cross", "percent_change", "risk"]}},
              "username": {"type": ["string", "null"], "maxLength": 80}}}}},
      "Watchlist": {"type": "object", "required": ["symbols"], "additionalProperties": False, "properties": {"symbols": {"type": "array", "maxItems": 200, "items": symbol}}},
      "WatchlistAdd": {"type": "object", "required": ["symbol"], "additionalProperties": False, "properties": {"symbol": symbol}},
      "JournalEntryInput": {"type": "object", "required": ["symbol", "side", "entry_price", "quantity"], "additionalProperties": False, "properties": {
          "symbol": symbol, "asset_class": {"type": "string", "enum": ["equity", "option"], "description": "Defaults from the symbol."},
          "side": {"type": "string", "enum": ["long", "short"]},
          "entry_price": {**money, "exclusiveMinimum": 0}, "exit_price": {"type": ["number", "null"], "exclusiveMinimum": 0},
          "quantity": {"type": "number", "exclusiveMinimum": 0, "description": "Shares, or contracts for options (whole)."},
          "stop": {"type": ["number", "null"], "exclusiveMinimum": 0}, "targets": {"type": "array", "maxItems": 10, "items": {"type": "number", "exclusiveMinimum": 0}},
          "fees": {"type": "number", "minimum": 0}, "tags": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 32}},
          "notes": {"type": "string", "maxLength": 10000}, "opened_at": ts, "closed_at": {"type": ["string", "null"], "format": "date-time"},
          "plan_id": {"type": ["string", "null"], "format": "uuid"}}},
      "JournalEntryPatch": {"type": "object", "additionalProperties": False, "properties": {
          "symbol": symbol, "asset_class": {"type": "string", "enum": ["equity", "option"]}, "side": {"type": "string", "enum": ["long", "short"]},
          "entry_price": {**money, "exclusiveMinimum": 0}, "exit_price": {"type": ["number", "null"], "exclusiveMinimum": 0},
          "quantity": {"type": "number", "exclusiveMinimum": 0}, "stop": {"type": ["number", "null"], "exclusiveMinimum": 0},
          "targets": {"type": ["array", "null"], "maxItems": 10, "items": {"type": "number", "exclusiveMinimum": 0}},
          "fees": {"type": ["number", "null"], "minimum": 0}, "tags": {"type": ["array", "null"], "maxItems": 20, "items": {"type": "string", "maxLength": 32}},
          "notes": {"type": ["string", "null"], "maxLength": 10000}, "opened_at": ts, "closed_at": {"type": ["string", "null"], "format": "date-time"},
          "plan_id": {"type": ["string", "null"], "format": "uuid"}}},
      "JournalEntry": {"type": "object", "required": ["id", "symbol", "asset_class", "side", "status", "entry_price", "exit_price", "quantity", "stop", "targets", "fees", "tags", "notes", "opened_at", "closed_at", "source", "plan_id", "created_at", "updated_at", "gross_pnl", "pnl", "initial_risk", "r_multiple", "return_pct"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "symbol": symbol, "asset_class": {"type": "string", "enum": ["equity", "option"]},
          "side": {"type": "string", "enum": ["long", "short"]}, "status": {"type": "string", "enum": ["open", "closed"]},
          "entry_price": money, "exit_price": {"type": ["number", "null"]}, "quantity": {"type": "number"}, "stop": {"type": ["number", "null"]},
          "targets": {"type": "array", "items": {"type": "number"}}, "fees": {"type": "number"}, "tags": {"type": "array", "items": {"type": "string"}},
          "notes": {"type": "string"}, "opened_at": ts, "closed_at": {"type": ["string", "null"], "format": "date-time"},
          "source": {"type": "string", "enum": ["manual", "execution"]}, "plan_id": {"type": ["string", "null"], "format": "uuid"},
          "created_at": ts, "updated_at": ts,
          "gross_pnl": {"type": ["number", "null"], "description": "(exit − entry) × quantity × multiplier × side."},
          "pnl": {"type": ["number", "null"], "description": "gross_pnl − fees."},
          "initial_risk": {"type": ["number", "null"], "description": "|entry − stop| × quantity × multiplier."},
          "r_multiple": {"type": ["number", "null"], "description": "pnl ÷ initial_risk, 2 decimals."},
          "return_pct": {"type": ["number", "null"], "description": "pnl ÷ (entry × quantity × multiplier) × 100, 2 decimals."}}},
      "JournalPage": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": P("JournalEntry")}, "next_cursor": {"type": ["string", "null"]}}},

      "PlanningIssue": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "field": {"type": "string"}, "message": {"type": "string"}}},
      "PlanFields": {"type": "object", "required": ["symbol", "side", "entry", "stop", "targets"], "properties": {
          "symbol": symbol, "side": {"type": "string", "enum": ["long", "short"]}, "asset_class": {"type": "string", "enum": ["equity", "option"]},
          "entry": {"type": "number", "description": "Price, or premium for options."}, "stop": {"type": "number"},
          "targets": {"type": "array", "minItems": 1, "maxItems": 10, "items": {"type": "number"}},
          "quantity": {"type": "number", "description": "Whole shares or contracts."},
          "thesis": {"type": ["string", "null"]}, "timeframe": {"type": ["string", "null"]}}},
      "SizingFields": {"type": "object", "properties": {
          "equity": {"type": "number"}, "buying_power": {"type": "number"},
          "risk_pct": {"type": "number", "description": "Risk budget, percent of equity (give this or risk_amount)."},
          "risk_amount": {"type": "number", "description": "Risk budget in money."},
          "max_position_size_pct": {"type": "number"}, "round_lots": {"type": "boolean"}}},
      "PlanRequest": {"allOf": [P("PlanFields"), P("SizingFields"), {"type": "object", "properties": {
          "last_price": {"type": "number", "description": "For the entry-far-from-last warning."},
          "atr": {"type": "number", "description": "Average true range, for the stop-too-tight warning."}}}]},
      "SizingRequest": {"allOf": [P("SizingFields"), {"type": "object", "required": ["side", "entry"], "properties": {
          "symbol": symbol, "side": {"type": "string", "enum": ["long", "short"]}, "asset_class": {"type": "string", "enum": ["equity", "option"]},
          "entry": {"type": "number"}, "stop": {"type": "number", "description": "Required except for a long option (then the whole premium is at risk)."}}}]},
      "SizingAlternative": {"type": "object", "required": ["profile", "budget_multiplier", "risk_budget", "quantity", "risk_amount", "position_value", "pct_of_equity", "risk_pct_of_equity", "capped_by"], "properties": {
          "profile": {"type": "string", "enum": ["conservative", "standard", "aggressive"]}, "budget_multiplier": {"type": "number"},
          "risk_budget": money, "quantity": {"type": "number"}, "risk_amount": money, "position_value": money,
          "pct_of_equity": {"type": "number"}, "risk_pct_of_equity": {"type": "number"},
          "capped_by": {"type": "string", "enum": ["risk_budget", "buying_power", "max_position_size", "round_lot"]}}},
      "SizingResult": {"type": "object", "required": ["asset_class", "quantity", "risk_budget", "risk_per_unit", "cost_per_unit", "risk_amount", "position_value", "pct_of_equity", "risk_pct_of_equity", "capped_by", "warnings", "alternatives"], "properties": {
          "asset_class": {"type": "string", "enum": ["equity", "option"]}, "quantity": {"type": "number"}, "risk_budget": money,
          "risk_per_unit": money, "cost_per_unit": money, "risk_amount": money, "position_value": money,
          "pct_of_equity": {"type": "number"}, "risk_pct_of_equity": {"type": "number"},
          "capped_by": {"type": "string", "enum": ["risk_budget", "buying_power", "max_position_size", "round_lot"]},
          "warnings": {"type": "array", "items": P("PlanningIssue")}, "alternatives": {"type": "array", "items": P("SizingAlternative")}}},
      "PlanEvaluation": {"type": "object", "required": ["valid", "errors", "warnings", "summary", "risk_per_share", "risk_per_unit", "stop_distance_pct", "total_risk", "risk_pct_of_equity", "targets", "r_bands", "suggested_size"], "properties": {
          "valid": {"type": "boolean"}, "errors": {"type": "array", "items": P("PlanningIssue")}, "warnings": {"type": "array", "items": P("PlanningIssue")},
          "summary": {"type": "string"}, "risk_per_share": {"type": ["number", "null"]}, "risk_per_unit": {"type": ["number", "null"]},
          "stop_distance_pct": {"type": ["number", "null"]}, "total_risk": {"type": ["number", "null"]}, "risk_pct_of_equity": {"type": ["number", "null"]},
          "targets": {"type": "array", "items": {"type": "object", "required": ["price", "r_multiple", "reward_per_share"], "properties": {"price": {"type": "number"}, "r_multiple": {"type": ["number", "null"]}, "reward_per_share": {"type": "number"}}}},
          "r_bands": {"type": "array", "items": {"type": "object", "required": ["r", "price"], "properties": {"r": {"type": "number"}, "price": {"type": "number"}}}},
          "suggested_size": {"oneOf": [P("SizingResult"), {"type": "null"}]}}},
      "SavedPlan": {"type": "object", "required": ["id", "symbol", "side", "asset_class", "entry", "stop", "targets", "quantity", "thesis", "timeframe", "created_at", "updated_at", "evaluation"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "symbol": symbol, "side": {"type": "string", "enum": ["long", "short"]},
          "asset_class": {"type": "string", "enum": ["equity", "option"]}, "entry": money, "stop": money,
          "targets": {"type": "array", "items": {"type": "number"}},
          "quantity": {"type": ["number", "null"]}, "thesis": {"type": ["string", "null"]}, "timeframe": {"type": ["string", "null"]},
          "created_at": ts, "updated_at": ts, "evaluation": P("PlanEvaluation")}},
      "SavedPlanPage": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": P("SavedPlan")}, "next_cursor": {"type": ["string", "null"]}}},

      "Quote": {"type": "object", "required": ["symbol", "last", "bid", "ask", "as_of", "source", "stale"], "properties": {
          "symbol": symbol, "last": {"type": ["number", "null"]}, "bid": {"type": ["number", "null"]}, "ask": {"type": ["number", "null"]},
          "bid_size": {"type": ["number", "null"]}, "ask_size": {"type": ["number", "null"]},
          "change": {"type": ["number", "null"]}, "change_pct": {"type": ["number", "null"]}, "prev_close": {"type": ["number", "null"]},
          "day_open": {"type": ["number", "null"]}, "day_high": {"type": ["number", "null"]}, "day_low": {"type": ["number", "null"]},
          "volume": {"type": ["number", "null"]}, "as_of": ts, "source": {"type": "string"}, "stale": {"type": "boolean"}}},
      "Quotes": {"type": "object", "required": ["quotes", "missing"], "properties": {"quotes": {"type": "array", "items": P("Quote")}, "missing": {"type": "array", "items": {"type": "string"}}}},
      "Bars": {"type": "object", "required": ["symbol", "timespan", "bars"], "properties": {"symbol": {"type": "string"}, "timespan": {"type": "string"},
          "bars": {"type": "array", "items": {"type": "object", "required": ["t", "o", "h", "l", "c", "v"], "properties": {
              "t": ts, "o": {"type": "number"}, "h": {"type": "number"}, "l": {"type": "number"}, "c": {"type": "number"}, "v": {"type": "number"}}}}}},
      "FeedDiagnostics": {"type": "object", "required": ["provider", "state", "fresh", "reconnects", "messages", "stale_symbols"], "properties": {
          "provider": {"type": "string"}, "state": {"type": "string", "enum": ["connecting", "connected", "reconnecting", "failed", "stopped"]},
          "detail": {"type": "string"}, "fresh": {"type": "boolean"}, "last_message_at": {"type": ["string", "null"], "format": "date-time"},
          "last_message_age_s": {"type": ["number", "null"]}, "reconnects": {"type": "integer"}, "messages": {"type": "integer"},
          "messages_per_second": {"type": "number"}, "stale_after_s": {"type": "number"}, "watched": {"type": "integer"},
          "stale_symbols": {"type": "array", "items": {"type": "string"}}, "catch_ups": {"type": "integer"}}},
      "WebSocketToken": {"type": "object", "required": ["token", "expires_at", "url"], "properties": {"token": {"type": "string"}, "expires_at": ts, "url": {"type": "string"}}},

      "AlertInput": {"type": "object", "required": ["symbol", "type", "threshold"], "properties": {
          "symbol": symbol, "type": {"type": "string", "enum": ["price_above", "price_below", "price_cross", "percent_change"]},
          "threshold": {"type": "number", "exclusiveMinimum": 0, "description": "A price, or a percent for percent_change."},
          "direction": {"type": "string", "enum": ["up", "down", "either"], "description": "percent_change only."},
          "mode": {"type": "string", "enum": ["once", "repeat"]}, "cooldown_s": {"type": "integer", "description": "repeat only."},
          "expires_at": {"type": "string", "format": "date-time"}, "note": {"type": "string", "maxLength": 500}}},
      "Alert": {"type": "object", "required": ["id", "symbol", "type", "threshold", "mode", "status", "created_at", "updated_at", "fire_count"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "symbol": symbol,
          "type": {"type": "string", "enum": ["price_above", "price_below", "price_cross", "percent_change"]}, "threshold": {"type": "number"},
          "direction": {"type": ["string", "null"]}, "mode": {"type": "string", "enum": ["once", "repeat"]}, "cooldown_s": {"type": ["integer", "null"]},
          "expires_at": {"type": ["string", "null"], "format": "date-time"}, "note": {"type": "string"},
          "status": {"type": "string", "enum": ["active", "triggered", "expired", "disabled"]}, "created_at": ts, "updated_at": ts,
          "last_fired_at": {"type": ["string", "null"], "format": "date-time"}, "fire_count": {"type": "integer"}}},
      "AlertPage": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": P("Alert")}, "next_cursor": {"type": ["string", "null"]}}},
      "AlertTrigger": {"type": "object", "required": ["alert_id", "sequence", "symbol", "type", "threshold", "level", "side", "price", "time", "source"], "properties": {
          "id": {"type": "string", "format": "uuid"}, "alert_id": {"type": "string", "format": "uuid"}, "sequence": {"type": "integer"},
          "symbol": symbol, "type": {"type": "string"}, "threshold": {"type": "number"}, "level": {"type": "number"},
          "side": {"type": "string", "enum": ["above", "below", "unknown"]}, "price": {"type": "number"}, "time": ts,
          "source": {"type": "string", "enum": ["stream", "poll", "catch_up", "snapshot"]}, "note": {"type": "string"}}},
      "AlertTriggerPage": {"type": "object", "required": ["items", "next_cursor"], "properties": {"items": {"type": "array", "items": P("AlertTrigger")}, "next_cursor": {"type": ["string", "null"]}}},
    },
  },
}
print(json.dumps(doc, indent=2, ensure_ascii=False))
