import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { isLateSuccess, isSettled, receivedMoney, STATE, transition, type AttemptEvent, type AttemptState, type Verdict } from "../../payment/attempt"
import { nextCheckAt } from "../../payment/check-schedule"
import { pluginOptions } from "../../payment/plugin-options"
import { ledgerOf, retrieveAttempt, type Attempt } from "../../modules/mpesa/ledger"

export type MoveAttemptInput = {
  attempt_id: string
  event: AttemptEvent
  facts?: Verdict["facts"]
  /** Columns set together with the move (e.g. the references once the push was accepted). */
  patch?: Partial<Attempt>
  /**
   * The attempt as the caller just read or wrote it: the move starts from it instead of
   * reading the row again. Safe because the write is a compare-and-set on its state — if the
   * row moved on meanwhile, the write finds nothing, and the row is read and asked again.
   */
  known?: Attempt
}

export type Moved = { before: Attempt; after: Attempt; moved: boolean }

/**
 * Moves an attempt along the lifecycle (payment/attempt.ts), and only along it: the update is a
 * compare-and-set on the state it was read in (the ledger locks the row), so two processes
 * recording outcomes at once cannot overwrite each other — the loser re-reads and asks the
 * lifecycle again (a paid attempt stays paid whatever arrives after).
 */
export async function moveAttempt(container: MedusaContainer, input: MoveAttemptInput): Promise<Moved> {
  const ledger = ledgerOf(container)
  const timing = pluginOptions(container)
  for (let tries = 0; tries < 5; tries++) {
    const before = tries === 0 && input.known ? input.known : await retrieveAttempt(container, input.attempt_id)
    const next = transition(before.state, input.event)
    if (!next) {
      return { before, after: before, moved: false }
    }
    const now = new Date()
    const pushedAt = input.patch?.pushed_at ? new Date(input.patch.pushed_at) : new Date(before.pushed_at)
    const data = {
      ...input.patch,
      ...columnsOf(input.facts),
      state: next,
      late_success: before.late_success || isLateSuccess(before.state, next),
      amount_mismatch: before.amount_mismatch || next === STATE.amount_mismatch,
      // An attempt with no reference (its push's fate unknown) cannot be asked about.
      next_check_at: (input.patch?.reference ?? before.reference)
        ? nextCheckAt(next, { pushedAt, now, justPushed: input.event === "push_accepted", outcome: input.facts?.outcome ?? before.outcome }, timing)
        : null,
      ...(isSettled(next) ? { settled_at: now } : {}),
    }
    if (await ledger.updateAttemptIfState(before.id, before.state, data)) {
      // The row as written: no need to read it back.
      return { before, after: { ...before, ...data } as Attempt, moved: true }
    }
  }
  throw new MedusaError(MedusaError.Types.CONFLICT, `M-Pesa attempt ${input.attempt_id} kept changing while an outcome was recorded.`)
}

function columnsOf(facts: Verdict["facts"] | undefined): Partial<Attempt> {
  if (!facts) {
    return {}
  }
  return {
    message: facts.message,
    ...(facts.outcome ? { outcome: facts.outcome } : {}),
    ...(facts.result_code !== undefined ? { result_code: facts.result_code } : {}),
    ...(facts.receipt ? { receipt: facts.receipt } : {}),
    ...(facts.amount_paid !== undefined ? { amount_paid: facts.amount_paid } : {}),
  }
}

type Undo = { id: string; state: AttemptState; restore: Partial<Attempt> }

export const moveAttemptStep = createStep(
  "mpesa-move-attempt",
  async (input: MoveAttemptInput, { container }) => {
    const result = await moveAttempt(container, input)
    if (!result.moved) {
      return new StepResponse<Moved, Undo | null>(result, null)
    }
    // Money received is never taken back by a compensation: the record of it is the point.
    if (receivedMoney(result.after.state)) {
      return new StepResponse<Moved, Undo | null>(result, null)
    }
    const { before } = result
    const restore: Partial<Attempt> = {
      // Whatever the move wrote besides (bookkeeping, references) goes back too.
      ...Object.fromEntries(Object.keys(input.patch ?? {}).map((key) => [key, before[key as keyof Attempt]])),
      state: before.state,
      message: before.message,
      outcome: before.outcome,
      result_code: before.result_code,
      next_check_at: before.next_check_at,
      settled_at: before.settled_at,
    }
    return new StepResponse<Moved, Undo | null>(result, { id: before.id, state: result.after.state, restore })
  },
  async (undo, { container }) => {
    if (undo) {
      await ledgerOf(container).updateAttemptIfState(undo.id, undo.state, undo.restore)
    }
  }
)
