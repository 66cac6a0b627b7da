// The goals issue 21 set for the figures `npm run bench` reports, and whether a run met them.
// Pure functions, unit-tested in bench/__tests__/goals.spec.mjs.

/**
 * Each goal bounds one figure of the run: a ratio of two figures measured in the same run, or
 * (memory) an absolute difference between two servers booted minutes apart.
 */
export const GOALS = {
  /** Payment-phase burst: M-Pesa / Medusa's own orders per second (at N = 50 and 200). */
  paymentThroughput: { atLeast: 0.95 },
  /** Payment-phase burst: PostgreSQL transactions per order, M-Pesa / Medusa's own. */
  paymentTransactions: { atMost: 1.1 },
  /** Payment-phase burst: rows written per order, M-Pesa / Medusa's own. */
  paymentRows: { atMost: 1.15 },
  /** Payment-phase burst at N = 50: p95 of creating the payment session, M-Pesa / Medusa's own. */
  sessionP95: { atMost: 1.5 },
  /** Recovery: orders/s of the recovered payments / the server's own pay-and-complete orders/s. */
  recoveryToCompletion: { atLeast: 0.9 },
  /** Idle memory: server RSS with the plugin − without, after a forced GC (MB). */
  idleOverheadMb: { atMost: 30 },
}

/** "met", "not met", or "–" when the figure is missing (a partial run, a failed measurement). */
export function verdict(value, goal) {
  if (typeof value !== "number" || !Number.isFinite(value) || !goal) {
    return "–"
  }
  const met = goal.atLeast !== undefined ? value >= goal.atLeast : value <= goal.atMost
  return met ? "met" : "not met"
}

/** The goal as the doc writes it: "≥ 0.95", "≤ 30 MB". */
export function goalText(goal, unit = "") {
  if (!goal) {
    return "–"
  }
  const bound = goal.atLeast !== undefined ? `≥ ${goal.atLeast}` : `≤ ${goal.atMost}`
  return unit ? `${bound} ${unit}` : bound
}
