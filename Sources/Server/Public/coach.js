// Coach chat: POST /coach/chat {message, conversation_id?}. Each reply shows a confidence badge,
// the sources it used (<details>) and, for confirm_order actions, a "Confirm order" button that
// places the previewed order with its confirmation token.
import { post, del, enc } from "./api.js";
import { $, el, setText, fmtTime, fmtNum, fmtPrice, toast } from "./ui.js";
import { placeWithToken } from "./ticket.js";

let conversationId = null;

export function confidenceLevel(value) {
  if (typeof value !== "number") return "unknown";
  return value >= 0.75 ? "high" : value >= 0.45 ? "medium" : "low";
}

function scrollDown() { const log = $("coach-log"); log.scrollTop = log.scrollHeight; }

function say(who, ...children) {
  const item = el("div", { className: `msg ${who}`, attrs: { "data-testid": `coach-${who}` } }, ...children);
  $("coach-log").append(item);
  scrollDown();
  return item;
}

function sourceItem(s) {
  return el("li", { attrs: { "data-testid": "coach-source" } },
    el("strong", { text: s.tool || "tool" }),
    s.provider ? el("span", { text: ` · ${s.provider}` }) : null,
    s.as_of ? el("span", { className: "muted", text: ` · data as of ${fmtTime(s.as_of)}` }) : null,
    s.detail ? el("div", { className: "small", text: s.detail }) : null);
}

function orderText(o = {}) {
  const price = o.limit_price ? ` @ ${fmtPrice(o.limit_price)}` : o.stop_price ? ` stop ${fmtPrice(o.stop_price)}` : "";
  return [String(o.action || "").replace(/_/g, " "), o.quantity !== undefined ? fmtNum(o.quantity, 0) : "", o.symbol, String(o.type || "").replace("_", " ")].filter(Boolean).join(" ") + price;
}

/** The coach never cancels: a `confirm_cancel` action cancels only when the user clicks. */
function cancelCard(action) {
  const status = el("p", { className: "small", attrs: { role: "status" } });
  const button = el("button", {
    type: "button", className: "danger", text: "Confirm cancel",
    attrs: { "data-testid": "coach-confirm-cancel", "aria-label": action.label || `Cancel order ${action.order && action.order.id}` },
    on: {
      click: async () => {
        button.disabled = true;
        setText(status, "Cancelling…");
        try {
          const order = await del(`/api/v1/orders/${enc(action.order.id)}`);
          setText(status, `Cancel requested: ${orderText(order)} (${order.status}).`);
        } catch (error) {
          setText(status, error.detail);
          status.className = "small error";
          button.disabled = false;
        }
      },
    },
  });
  return el("div", { className: "action-card" },
    el("p", {}, el("strong", { text: action.label || "Cancel waiting for your confirmation" })),
    action.order ? el("p", { className: "small", text: orderText(action.order) }) : null,
    button, status);
}

function actionCard(action) {
  if (action.type === "confirm_cancel" && action.order && action.order.id) return cancelCard(action);
  if (action.type !== "confirm_order") return null;
  const status = el("p", { className: "small", attrs: { role: "status" } });
  const button = el("button", {
    type: "button", className: "primary", text: "Confirm order",
    attrs: { "data-testid": "coach-confirm-order", "aria-label": `Confirm order: ${action.label || orderText(action.order)}` },
    on: {
      click: async () => {
        button.disabled = true;
        setText(status, "Placing…");
        try {
          const order = await placeWithToken(action.confirmation_token);
          setText(status, `Sent: ${orderText(order)} (${order.status}).`);
        } catch (error) {
          setText(status, error.detail);
          status.className = "small error";
          button.disabled = false;
        }
      },
    },
  });
  return el("div", { className: "action-card" },
    el("p", {}, el("strong", { text: action.label || "Order ready for your confirmation" })),
    action.order ? el("p", { className: "small", text: orderText(action.order) }) : null,
    action.expires_at ? el("p", { className: "small muted", text: `Expires ${fmtTime(action.expires_at)}` }) : null,
    button, status);
}

function renderReply(reply) {
  const level = confidenceLevel(reply.confidence);
  const sources = reply.sources || [];
  const badge = el("span", {
    className: `badge conf-${level}`,
    text: `${level} confidence${typeof reply.confidence === "number" ? ` ${fmtNum(reply.confidence)}` : ""}`,
    attrs: { "data-testid": "coach-confidence", "data-level": level, title: "How sure the coach is, from data freshness, tool success and model signals" },
  });
  say("assistant",
    el("p", { className: "reply", text: reply.reply || "" }),
    el("div", { className: "meta" }, badge,
      el("details", { attrs: { "data-testid": "coach-sources" } },
        el("summary", { text: `Sources (${sources.length})` }),
        sources.length ? el("ul", {}, sources.map(sourceItem)) : el("p", { className: "small", text: "No tools or data were used." })),
      reply.backend ? el("span", { className: "muted", text: `coach: ${reply.backend}` }) : null),
    ...(reply.actions || []).map(actionCard).filter(Boolean));
}

async function send(event) {
  event.preventDefault();
  const input = $("coach-input");
  const message = input.value.trim();
  if (!message) return;
  say("user", el("p", { text: message }));
  input.value = "";
  const button = $("coach-send");
  button.disabled = true;
  const thinking = say("pending", el("p", { className: "muted", text: "The coach is thinking…" }));
  try {
    const body = { message };
    if (conversationId) body.conversation_id = conversationId;
    const reply = await post("/api/v1/coach/chat", body);
    conversationId = reply.conversation_id || conversationId;
    thinking.remove();
    renderReply(reply);
  } catch (error) {
    thinking.remove();
    const text = error.status === 404
      ? "The coach is not available on this server yet (POST /api/v1/coach/chat answered 404). It will appear after an update."
      : `The coach could not answer: ${error.detail}`;
    say("error", el("p", { text, attrs: { "data-testid": error.status === 404 ? "coach-unavailable" : "coach-error" } }));
    if (error.status !== 404) toast(error.detail, "bad", "Coach");
  } finally {
    button.disabled = false;
    input.focus();
  }
}

export function initCoach() {
  $("coach-form").addEventListener("submit", send);
  $("coach-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("coach-form").requestSubmit(); }
  });
  $("coach-new").addEventListener("click", () => {
    conversationId = null;
    for (const node of [...$("coach-log").querySelectorAll(".msg")]) node.remove();
    $("coach-input").focus();
  });
}
