// The goals issue 33 set for the figures `npm run bench` reports, and whether a run met them:
// a paid M-Pesa order as fast as Medusa's own checkout, measured where the merchant sees it
// (the payment phase's orders per second and the shape of its order rows, one checkout's server
// time, sustained load), keeping what issue 21 won (no failed completion under a burst on a
// product that manages inventory, recovery, memory, a full run within 20 minutes).
// Transactions, rows and main-thread time per order stay in the report as diagnostics only.
// Pure functions, unit-tested in bench/__tests__/goals.spec.mjs.

/**
 * Each goal bounds one figure of the run: a ratio of two figures measured in the same run, a
 * count that must stay 0, an absolute difference between two servers booted minutes apart
 * (memory), or the run's own duration.
 */
export const GOALS = {
  /** Payment phase, carts without inventory: M-Pesa / Medusa's own orders per second, first Pay → last order row (N = 50 and 200, median of the rounds). */
  paymentThroughput: { atLeast: 0.85 },
  /** Payment phase, its shape: M-Pesa / Medusa's own, seconds from the first Pay to the median order row. */
  paymentMedianRow: { atMost: 1.2 },
  /** Payment phase, its shape: M-Pesa / Medusa's own, seconds from the first Pay to the last order row. */
  paymentLastRow: { atMost: 1.3 },
  /** Payment phase, carts without inventory: duplicate orders or captures (both kinds) + paid M-Pesa carts without an order. */
  paymentIntegrity: { atMost: 0 },
  /** Payment phase at N = 200 on carts whose product manages inventory: paid M-Pesa carts left without an order. */
  failedCompletions: { atMost: 0 },
  /** One checkout: whole-checkout server time p50, M-Pesa / `pp_system_default`. */
  checkoutCost: { atMost: 1.3 },
  /** One checkout: the storefront's `complete` once the callback placed the order (p50) / Medusa's own whole `complete` (p50). */
  completeAfterOrder: { atMost: 1.0 },
  /** Sustained load at 80 % of Medusa's own rate: callback → order p95, last whole 10 s window / first. */
  sustainedDrift: { atMost: 1.2 },
  /** Recovery: orders/s of the recovered payments / the server's own pay-and-complete orders/s. */
  recoveryToCompletion: { atLeast: 0.9 },
  /** Idle memory: server RSS with the plugin − without, after a forced GC (MB). */
  idleOverheadMb: { atMost: 30 },
  /** A full `npm run bench` on this machine (minutes; the store's template and carts already built). */
  runMinutes: { atMost: 20 },
}

/** "met", "not met", or "–" when the figure is missing (a partial run, a failed measurement). */
export function verdict(value, goal) {
  if (typeof value !== "number" || !Number.isFinite(value) || !goal) {
    return "–"
  }
  const met = goal.atLeast !== undefined ? value >= goal.atLeast : value <= goal.atMost
  return met ? "met" : "not met"
}

/** The goal as the doc writes it: "≥ 0.85", "≤ 30 MB". */
export function goalText(goal, unit = "") {
  if (!goal) {
    return "–"
  }
  const bound = goal.atLeast !== undefined ? `≥ ${goal.atLeast}` : `≤ ${goal.atMost}`
  return unit ? `${bound} ${unit}` : bound
}
