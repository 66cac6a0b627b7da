/**
 * The states of an M-Pesa attempt and where each one stands: the vocabulary every other file
 * names a state by. It imports nothing, so the admin bundle takes it as it is (src/admin builds
 * for the browser); payment/attempt.ts re-exports it with the moves between states and what
 * each state means to Medusa and to the shopper.
 */
export const ATTEMPT_STATES = ["pushing", "pending", "paid", "amount_mismatch", "failed", "expired", "not_sent"] as const
export type AttemptState = (typeof ATTEMPT_STATES)[number]

/** Each state by name (`STATE.paid`), for the code that writes or looks for one. */
export const STATE = {
  pushing: "pushing",
  pending: "pending",
  paid: "paid",
  amount_mismatch: "amount_mismatch",
  failed: "failed",
  expired: "expired",
  not_sent: "not_sent",
} as const satisfies { readonly [S in AttemptState]: S }

type Standing = {
  /** No longer waiting for the shopper: settled, or expired by our clock. */
  over: boolean
  /** The gateway said how it ended: money (right or wrong amount) or a definitive failure. */
  settled: boolean
  /** Money was received: final, the attempt never moves again. */
  money: boolean
  /** The status API can still tell us something (asked on the schedule in check-schedule.ts). */
  checked: boolean
}

/** Where each state stands: the one table the predicates below read. */
const STANDING = {
  // The row is written before the push leaves; no reference to ask about yet.
  pushing: { over: false, settled: false, money: false, checked: false },
  pending: { over: false, settled: false, money: false, checked: true },
  paid: { over: true, settled: true, money: true, checked: false },
  amount_mismatch: { over: true, settled: true, money: true, checked: false },
  // Still asked about while the failure may turn into money (failureMayStillPay).
  failed: { over: true, settled: true, money: false, checked: true },
  // Our clock ran out, not the gateway's word: asked about for the late-success grace period.
  expired: { over: true, settled: false, money: false, checked: true },
  not_sent: { over: true, settled: true, money: false, checked: false },
} as const satisfies Record<AttemptState, Standing>

const statesWhere = (test: (standing: Standing) => boolean): readonly AttemptState[] => ATTEMPT_STATES.filter((state) => test(STANDING[state]))

/** The states in which a prompt may still be on the phone (while younger than its lifetime: `isLive`). */
export const LIVE_STATES = statesWhere((s) => !s.over)

/** The states the recovery job asks the status API about, on each attempt's schedule. */
export const CHECKED_STATES = statesWhere((s) => s.checked)

/** The states in which money was received (the right amount or not). */
export const MONEY_STATES = statesWhere((s) => s.money)

const SETTLED_STATES = statesWhere((s) => s.settled)
/** Over without money: a success after one of these is late. */
const GIVEN_UP_STATES = statesWhere((s) => s.over && !s.money)

// Membership in a list rather than a look-up in the table, so a state this release does not
// know (written by a newer one) is answered as it always was: not money, not settled, over.
const among = (states: readonly AttemptState[], state: AttemptState) => states.includes(state)

export function receivedMoney(state: AttemptState): boolean {
  return among(MONEY_STATES, state)
}

/** The gateway said how the attempt ended: money (right or wrong amount) or a definitive failure. */
export function isSettled(state: AttemptState): boolean {
  return among(SETTLED_STATES, state)
}

/** No longer waiting for the shopper: settled, or expired by our clock. */
export function isOver(state: AttemptState): boolean {
  return !among(LIVE_STATES, state)
}

/** Paid exactly the amount asked: the one state whose cart may become an order. */
export function isPaidInFull(state: AttemptState): boolean {
  return state === STATE.paid
}

/**
 * Medusa's session must be told an outcome Medusa would not record by itself (failed,
 * expired, not sent, wrong amount); a full payment reaches the session by completing the cart.
 */
export function needsWriteBack(state: AttemptState): boolean {
  return isOver(state) && !isPaidInFull(state)
}

/** A success reported after we had given up on the attempt (the admin shows it as late). */
export function isLateSuccess(from: AttemptState, to: AttemptState): boolean {
  return receivedMoney(to) && among(GIVEN_UP_STATES, from)
}

/** Attempts the status API can still tell us something about (when they are due: check-schedule.ts). */
export function isCheckable(state: AttemptState): boolean {
  return among(CHECKED_STATES, state)
}
