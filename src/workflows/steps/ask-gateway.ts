import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { isBudgetRefusal } from "../../gateways/errors"
import type { RequestClass } from "../../gateways/rate-limit"
import { ledgerOf, retrieveAttempt, writeAttemptColumns, type Attempt, type AttemptPatch } from "../../modules/mpesa/ledger"
import { isCheckable, isResolved, receivedMoney, type Verdict } from "../../payment/attempt"
import { afterFailedCheck, MIN_CHECK_SPACING_MS, nextCheckAt } from "../../payment/check-schedule"
import { pluginOptions } from "../../payment/plugin-options"
import { mpesaGateway } from "../../providers/registry"

export type Asked =
  | { asked: false; attempt: Attempt }
  | { asked: true; attempt: Attempt; verdict: Verdict }
  | { asked: true; attempt: Attempt; error: string }

/**
 * Who wants the gateway asked, which decides what may be asked and how urgently:
 * - `callback`: a verified callback — a failed or expired attempt is asked about too (its money
 *   may have arrived); as urgent as a push;
 * - `job`: the recovery job, on each attempt's schedule;
 * - `merchant`: Re-check in the admin; `pay`: a shopper pressing Pay while a prompt is live;
 *   `poll`: a "check your phone" page or Medusa's generic webhook route. All are asked on
 *   someone's behalf, so at most once
 *   per MIN_CHECK_SPACING_MS per attempt, claimed in the database before the call (any number
 *   of requests on any number of servers make one call); a poll also only when a request slot
 *   is free at once.
 */
export type AskedBy = "callback" | "job" | "merchant" | "pay" | "poll"

export type AskInput = {
  attempt_id: string
  asked_by?: AskedBy
  /** The attempt as the caller read it a moment ago (the callback route): not read again. */
  attempt?: Attempt
}

const REQUEST_CLASS: Record<AskedBy, RequestClass> = { callback: "callback", job: "job", merchant: "push", pay: "push", poll: "poll" }

/**
 * Asks the gateway's status API about an attempt, through its own provider (so through the
 * gateway client's shared rate limiter). Never asks about an attempt that received money, one
 * the merchant resolved, or one with no reference yet. A gateway that cannot be asked — or a
 * provider that is no longer configured — is an answer, not an error: the next step records it
 * on this attempt and schedules the next try, and nothing else is held up.
 */
export const askGatewayStep = createStep("mpesa-ask-gateway", async (input: AskInput, { container }) => {
  const askedBy = input.asked_by ?? "job"
  const attempt = input.attempt ?? (await retrieveAttempt(container, input.attempt_id))
  const askable =
    !isResolved(attempt) &&
    !!attempt.reference &&
    attempt.amount_requested !== null &&
    (askedBy === "callback" ? !receivedMoney(attempt.state) : isCheckable(attempt.state))
  if (!askable) {
    return new StepResponse<Asked>({ asked: false, attempt })
  }
  const spaced = askedBy === "merchant" || askedBy === "pay" || askedBy === "poll"
  if (spaced && !(await ledgerOf(container).claimCheck(attempt.id, MIN_CHECK_SPACING_MS))) {
    return new StepResponse<Asked>({ asked: false, attempt })
  }
  try {
    const provider = mpesaGateway(container, attempt.provider_id ?? "")
    const verdict = await provider.ask({ reference: attempt.reference!, amount_requested: attempt.amount_requested! }, REQUEST_CLASS[askedBy])
    return new StepResponse<Asked>({ asked: true, attempt, verdict })
  } catch (error) {
    // The request budget is kept for pushes and callbacks: a poll beyond it is answered from the ledger.
    if (isBudgetRefusal(error)) {
      return new StepResponse<Asked>({ asked: false, attempt })
    }
    return new StepResponse<Asked>({ asked: true, attempt, error: (error as Error).message })
  }
})

type Bookkeeping = Pick<Attempt, "check_failures" | "checks_abandoned" | "next_check_at" | "checked_at" | "callback_at">

/**
 * What a verdict that moves the attempt writes besides the move, in the same write: that the
 * check happened and, for a callback, when it came (the move sets the next check itself).
 */
export function checkNotedWithMove(callback: boolean, now = new Date()): AttemptPatch {
  return { ...(callback ? { callback_at: now } : {}), check_failures: 0, checked_at: now }
}

/**
 * Records, in one write, that a check happened (when to check next, or how many checks failed
 * in a row) and, for a callback, when it came — which is noted even when nothing was asked.
 * Nothing to do when the verdict moved the attempt: the move wrote it (checkNotedWithMove).
 */
export const noteCheckStep = createStep(
  "mpesa-note-check",
  async (input: { asked: Asked; callback: boolean; moved?: boolean }, { container }) => {
    const { asked } = input
    if (input.moved || (!asked.asked && !input.callback)) {
      return new StepResponse(undefined, null)
    }
    const timing = pluginOptions(container)
    const now = new Date()
    const { attempt } = asked
    const next: AttemptPatch = {
      ...(input.callback ? { callback_at: now } : {}),
      ...(!asked.asked
        ? {}
        : "error" in asked
          ? { check_failures: attempt.check_failures + 1, checked_at: now, ...afterFailedCheck(attempt.check_failures + 1, now, timing) }
          : {
              check_failures: 0,
              checked_at: now,
              next_check_at: nextCheckAt(attempt.state, { pushedAt: new Date(attempt.pushed_at), now, outcome: attempt.outcome }, timing),
            }),
    }
    await writeAttemptColumns(container, attempt.id, next)
    const previous: Bookkeeping = {
      check_failures: attempt.check_failures,
      checks_abandoned: attempt.checks_abandoned,
      next_check_at: attempt.next_check_at,
      checked_at: attempt.checked_at,
      callback_at: attempt.callback_at,
    }
    return new StepResponse(undefined, { id: attempt.id, previous })
  },
  async (undo, { container }) => {
    if (undo) {
      await ledgerOf(container).updateMpesaAttempts({ id: undo.id, ...undo.previous })
    }
  }
)
