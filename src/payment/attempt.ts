import { PaymentSessionStatus } from "@medusajs/framework/utils"

import type { StatusResult } from "../gateways/gateway"
import type { Outcome } from "../lib/result-codes"
import type { MpesaStatus } from "../storefront/contract"
import { isOver, receivedMoney, STATE, type AttemptState } from "./attempt-states"
import { kes } from "./recorded-payment"

export * from "./attempt-states"

/**
 * The lifecycle of one M-Pesa attempt (one STK push). This file is the only place that says
 * what state an attempt is in, how it may move, and what each state means to Medusa, to the
 * shopper and to the ledger. docs/payment-lifecycle.md is its table.
 *
 * The rule that keeps money safe: an attempt that received money (`paid`, `amount_mismatch`)
 * never moves again, and any attempt that did not can still become paid — the gateway's
 * status API is the truth, and a late success must never be dropped.
 *
 * The states themselves, and where each one stands (over, settled, money), are in
 * attempt-states.ts, which imports nothing so that the admin bundle can take it; this file
 * re-exports them. Every mapping from a state is a table over all of them (`satisfies
 * Record<AttemptState, …>`), so a new state fails the type check until each one places it.
 */

/** What can happen to an attempt. `confirmed_*` events come only from the gateway's status API. */
export const ATTEMPT_EVENTS = [
  "push_accepted",
  "push_refused",
  "confirmed_pending",
  "confirmed_paid",
  "confirmed_wrong_amount",
  "confirmed_failed",
  "lifetime_elapsed",
  "merchant_accepted",
] as const
export type AttemptEvent = (typeof ATTEMPT_EVENTS)[number]

const MONEY: Partial<Record<AttemptEvent, AttemptState>> = {
  confirmed_paid: "paid",
  confirmed_wrong_amount: "amount_mismatch",
}

/**
 * The merchant accepted a payment claim the gateway cannot confirm (a signed Lipia callback for
 * a push whose answer was lost: `unverified`), having checked it in the gateway's portal. Only
 * for an attempt that has received no money on record; workflows/accept-mpesa-claim.ts asks
 * that the attempt is an open, unverified claim for exactly the amount asked.
 */
const ACCEPTED: Partial<Record<AttemptEvent, AttemptState>> = { merchant_accepted: "paid" }

/** state → event → next state. An event missing from a row changes nothing. */
export const TRANSITIONS: Record<AttemptState, Partial<Record<AttemptEvent, AttemptState>>> = {
  // The row is written before the push leaves, so a push in flight is already on record.
  pushing: { push_accepted: "pending", push_refused: "not_sent", lifetime_elapsed: "expired", ...MONEY, ...ACCEPTED, confirmed_failed: "failed" },
  pending: { ...MONEY, ...ACCEPTED, confirmed_failed: "failed", lifetime_elapsed: "expired" },
  // Not answered in time, as far as we know: still checked for a while, and still payable.
  expired: { ...MONEY, ...ACCEPTED, confirmed_failed: "failed" },
  failed: { ...MONEY, ...ACCEPTED },
  not_sent: { ...MONEY, ...ACCEPTED },
  // Money received: final.
  paid: {},
  amount_mismatch: {},
}

/**
 * Where an attempt the merchant recorded by its M-Pesa receipt starts (a Paybill/Till payment,
 * or one made to a prompt the plugin never saw): the money was already received, checked
 * against the gateway's list of transactions where it has one (Lipwa) or on the merchant's word
 * (Lipia), so it enters the lifecycle paid — and, money received being final, never moves.
 * No push, no event: workflows/record-mpesa-payment.ts writes it so.
 */
export const RECORDED_PAYMENT_STATE = STATE.paid

/** The state after `event`, or undefined when the event does not move an attempt in `state`. */
export function transition(state: AttemptState, event: AttemptEvent): AttemptState | undefined {
  return TRANSITIONS[state][event]
}

/**
 * The merchant closed the attempt's case (reversed it, placed the order by hand…): from then
 * on no automation moves, re-checks or completes it. The merchant's word is final.
 */
export function isResolved(attempt: { resolved_at: Date | string | null }): boolean {
  return !!attempt.resolved_at
}

/**
 * Whether a failure the status API reported can still turn into money. A prompt that timed
 * out or expired at M-Pesa (1037, 1019), or a failure with no known code (Lipwa reports
 * none), has been seen to complete late, so it is asked about again for the late-success grace
 * period, like an expired prompt. The shopper's own refusal (cancelled, wrong PIN), too little
 * balance and another payment in progress are decided before any money moves: final.
 */
export function failureMayStillPay(outcome: string | null | undefined): boolean {
  return outcome === "timeout" || outcome === "expired" || outcome === "failed" || !outcome
}

/**
 * Whether the attempt may still put (or have put) a prompt on the phone that the shopper can
 * pay: a push in flight or accepted, younger than the prompt's lifetime.
 */
export function isLive(attempt: { state: AttemptState; pushed_at: Date | string }, lifetimeMs: number, now = Date.now()): boolean {
  return !isOver(attempt.state) && now - new Date(attempt.pushed_at).getTime() < lifetimeMs
}

/** Seconds until a live attempt stops being live (for `retry_after`). */
export function secondsLeft(attempt: { pushed_at: Date | string }, lifetimeMs: number, now = Date.now()): number {
  return Math.max(1, Math.ceil((new Date(attempt.pushed_at).getTime() + lifetimeMs - now) / 1000))
}

// ---- What the gateway's status API said, as an event -------------------------------------

export type Verdict = {
  event: AttemptEvent
  /** What the status API told us, to store on the attempt. */
  facts: {
    message: string
    outcome?: Outcome
    result_code?: number
    receipt?: string
    amount_paid?: number
    paid_at?: string
  }
}

/**
 * Turns a status-API answer into an event. Money counts as received only when the gateway
 * says paid and reports an amount; it is `confirmed_paid` only for exactly the amount asked.
 */
export function verdictOf(status: StatusResult, requested: number): Verdict {
  if (status.state === "paid") {
    if (status.amount === undefined) {
      // A payment we cannot size is not counted; asking again is safe.
      return { event: "confirmed_pending", facts: { message: status.message } }
    }
    const paid = {
      receipt: status.receipt,
      amount_paid: status.amount,
      result_code: status.resultCode ?? 0,
      paid_at: status.settledAt ?? new Date().toISOString(),
    }
    if (status.amount !== requested) {
      return {
        event: "confirmed_wrong_amount",
        facts: {
          ...paid,
          outcome: "paid",
          message: `M-Pesa received ${kes(status.amount)}, but ${kes(requested)} was due. The store will contact you to settle the difference.`,
        },
      }
    }
    return { event: "confirmed_paid", facts: { ...paid, outcome: "paid", message: status.message } }
  }
  if (status.state === "failed") {
    return { event: "confirmed_failed", facts: { outcome: status.outcome, result_code: status.resultCode, message: status.message } }
  }
  return { event: "confirmed_pending", facts: { message: status.message } }
}

/**
 * Whether what a callback claimed agrees with the status API's verdict. A callback claiming
 * nothing yet (`pending`) or arriving for an attempt that was not asked about again (already
 * settled: no verdict) agrees; otherwise the status API wins and the callback is answered 409.
 */
export function callbackConfirmed(claim: "pending" | "paid" | "failed", verdict: AttemptEvent | undefined): boolean {
  if (claim === "pending" || !verdict) {
    return true
  }
  return claim === "paid" ? verdict === "confirmed_paid" || verdict === "confirmed_wrong_amount" : verdict === "confirmed_failed"
}

// ---- What each state means elsewhere ---------------------------------------------------

/** The Medusa payment session status for an attempt in each state. */
const SESSION_STATUS = {
  pushing: PaymentSessionStatus.PENDING,
  pending: PaymentSessionStatus.PENDING,
  paid: PaymentSessionStatus.CAPTURED,
  // Held: Medusa will not complete a cart on it, and the merchant settles the difference.
  amount_mismatch: PaymentSessionStatus.REQUIRES_MORE,
  failed: PaymentSessionStatus.ERROR,
  expired: PaymentSessionStatus.ERROR,
  not_sent: PaymentSessionStatus.ERROR,
} as const satisfies Record<AttemptState, PaymentSessionStatus>

/** The Medusa payment session status for an attempt in `state`. */
export function sessionStatus(state: AttemptState): PaymentSessionStatus {
  // A state this release does not know (a newer one wrote it) reads as still waiting.
  return SESSION_STATUS[state] ?? PaymentSessionStatus.PENDING
}

/** What the storefront's "check your phone" page is told (storefront/contract.ts, the poll's contract). */
export type ShopperStatus = MpesaStatus["status"]

const SHOPPER_STATUS = {
  pushing: "pending",
  pending: "pending",
  paid: "paid",
  // Money came, but not the amount asked: to the shopper, this payment did not go through.
  amount_mismatch: "failed",
  failed: "failed",
  expired: "expired",
  not_sent: "failed",
} as const satisfies Record<AttemptState, ShopperStatus>

/** What the storefront's "check your phone" page shows. */
export function shopperStatus(state: AttemptState): ShopperStatus {
  // A state this release does not know (a newer one wrote it) reads as still waiting.
  return SHOPPER_STATUS[state] ?? "pending"
}

export const UNCONFIRMED_PUSH_MESSAGE =
  "We could not confirm that the payment request reached M-Pesa. A prompt may still appear on your phone in the next two minutes: if it does, you can pay it and the store will find the payment. If none appears, try again after that."
export const PAID_TWICE_MESSAGE =
  "Your M-Pesa payment was received, but this order had already been paid. The store has been notified and will return one of the payments to you."
export const EXPIRED_MESSAGE = "The payment request expired before it was completed. Start the payment again."
export const HELD_MESSAGE =
  "Your M-Pesa payment was received, but the order could not be placed automatically. The store has been notified and will contact you; do not pay again."

/** What a shopper's "check your phone" page is told about an attempt. */
export function shopperView(attempt: {
  state: AttemptState
  message: string | null
  paid_without_order: boolean
  paid_twice: boolean
  unverified: boolean
}): { status: ShopperStatus; message: string } {
  if (attempt.unverified && !receivedMoney(attempt.state)) {
    // A signed callback reported the money; only the merchant can confirm it (Lipia).
    return { status: "paid", message: HELD_MESSAGE }
  }
  const status = shopperStatus(attempt.state)
  if (attempt.paid_twice) {
    return { status, message: PAID_TWICE_MESSAGE }
  }
  if (attempt.paid_without_order) {
    return { status, message: HELD_MESSAGE }
  }
  return { status, message: attempt.state === STATE.expired ? EXPIRED_MESSAGE : (attempt.message ?? "") }
}
