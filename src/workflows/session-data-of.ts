import { sessionStatus } from "../payment/attempt"
import type { Attempt } from "../modules/mpesa/ledger"

/**
 * The payment session's data and status once an attempt's outcome is known: the lifecycle
 * state and what the gateway said, in the fields the storefront reads (`state`, `message`,
 * `receipt`, `amount_paid`, `result_code`, `flags`). `hold` marks a payment left to the
 * merchant, which the provider then never authorizes again by itself.
 */
export function sessionUpdateOf(attempt: Attempt, current: Record<string, unknown>, hold = false) {
  const flags = {
    ...((current.flags as Record<string, boolean> | undefined) ?? {}),
    ...(attempt.amount_mismatch ? { amount_mismatch: true } : {}),
    ...(hold ? { paid_without_order: true } : {}),
  }
  return {
    status: hold ? ("requires_more" as const) : sessionStatus(attempt.state),
    data: {
      ...current,
      // A push whose answer was lost learns its references from the callback (Lipwa).
      ...(attempt.reference ? { reference: attempt.reference, push_unconfirmed: false } : {}),
      ...(attempt.callback_reference ? { callback_reference: attempt.callback_reference } : {}),
      state: attempt.state,
      ...(attempt.message ? { message: attempt.message } : {}),
      ...(attempt.outcome ? { outcome: attempt.outcome } : {}),
      ...(attempt.result_code !== null ? { result_code: attempt.result_code } : {}),
      ...(attempt.receipt ? { receipt: attempt.receipt } : {}),
      ...(attempt.amount_paid !== null ? { amount_paid: attempt.amount_paid } : {}),
      ...(Object.keys(flags).length ? { flags } : {}),
      ...(hold ? { hold: true } : {}),
    },
  }
}
