import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { GatewayError } from "../../gateways/errors"
import { isCheckable, receivedMoney, type Verdict } from "../../payment/attempt"
import { afterFailedCheck, nextCheckAt } from "../../payment/check-schedule"
import { pluginOptions } from "../../payment/plugin-options"
import { ledgerOf, retrieveAttempt, type Attempt } from "./ledger"
import { mpesaProvider } from "./mpesa-provider"

export type Asked =
  | { asked: false; attempt: Attempt }
  | { asked: true; attempt: Attempt; verdict: Verdict }
  | { asked: true; attempt: Attempt; error: string }

/**
 * Asks the gateway's status API about an attempt, through its own provider (so through the
 * gateway client's shared rate limiter). Attempts that received money are never asked again;
 * a callback (`anyUnsettled`) may ask about a failed or expired attempt too, since its
 * money could still have arrived. A gateway that cannot be asked is an answer, not an error:
 * the next step records it and schedules the next try.
 */
export const askGatewayStep = createStep(
  "mpesa-ask-gateway",
  async (input: { attempt_id: string; anyUnsettled?: boolean }, { container }) => {
    const attempt = await retrieveAttempt(container, input.attempt_id)
    const askable =
      !!attempt.reference &&
      attempt.amount_requested !== null &&
      !!attempt.provider_id &&
      (input.anyUnsettled ? !receivedMoney(attempt.state) : isCheckable(attempt.state))
    if (!askable) {
      return new StepResponse<Asked>({ asked: false, attempt })
    }
    const provider = mpesaProvider(container, attempt.provider_id!)
    try {
      const verdict = await provider.ask({ reference: attempt.reference!, amount_requested: attempt.amount_requested! })
      return new StepResponse<Asked>({ asked: true, attempt, verdict })
    } catch (error) {
      if (!GatewayError.is(error)) {
        throw error
      }
      return new StepResponse<Asked>({ asked: true, attempt, error: error.message })
    }
  }
)

type Bookkeeping = Pick<Attempt, "check_failures" | "checks_abandoned" | "next_check_at" | "checked_at">

/** Records that a check happened: when to check next, or how many checks failed in a row. */
export const noteCheckStep = createStep(
  "mpesa-note-check",
  async (input: Asked, { container }) => {
    if (!input.asked) {
      return new StepResponse(undefined, null)
    }
    const timing = pluginOptions(container)
    const now = new Date()
    const { attempt } = input
    const next: Partial<Bookkeeping> =
      "error" in input
        ? { check_failures: attempt.check_failures + 1, checked_at: now, ...afterFailedCheck(attempt.check_failures + 1, now, timing) }
        : {
            check_failures: 0,
            checked_at: now,
            next_check_at: nextCheckAt(attempt.state, { pushedAt: new Date(attempt.pushed_at), now }, timing),
          }
    await ledgerOf(container).updateMpesaAttempts([{ id: attempt.id, ...next }] as never)
    const previous: Bookkeeping = {
      check_failures: attempt.check_failures,
      checks_abandoned: attempt.checks_abandoned,
      next_check_at: attempt.next_check_at,
      checked_at: attempt.checked_at,
    }
    return new StepResponse(undefined, { id: attempt.id, previous })
  },
  async (undo, { container }) => {
    if (undo) {
      await ledgerOf(container).updateMpesaAttempts([{ id: undo.id, ...undo.previous }] as never)
    }
  }
)
