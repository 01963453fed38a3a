// Shared state and a tiny publish/subscribe bus between the modules.
export const state = {
  quotes: new Map(),      // symbol → latest quote (as /quotes and `price` events)
  watchlist: [],          // symbols in order
  selected: null,         // symbol shown on the chart and in the tools
  plans: new Map(),       // symbol → current plan {id?, symbol, side, entry, stop, targets, evaluation}
  settings: null,
};

const handlers = new Map();

export function on(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(handler);
  return () => handlers.get(type).delete(handler);
}

export function emit(type, data) {
  for (const handler of handlers.get(type) || []) {
    try { handler(data); } catch (error) { console.error(`handler for ${type} failed`, error); }
  }
}

/** Runs `fn` at most once per `ms`, trailing call included. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Runs `fn` at most once per `ms` (the first call waits `ms`, later calls in that window are merged). */
export function throttle(fn, ms) {
  let timer = null;
  return (...args) => {
    if (timer) return;
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
}
