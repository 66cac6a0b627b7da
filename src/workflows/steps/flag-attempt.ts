import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { ledgerOf, retrieveAttempt, writeAttemptColumns, type Attempt } from "../../modules/mpesa/ledger"

export type AttemptFlags = Partial<
  Pick<
    Attempt,
    | "order_id"
    | "paid_without_order"
    | "paid_twice"
    | "refund_refused"
    | "checks_abandoned"
    | "check_failures"
    | "next_check_at"
    | "checked_at"
    | "callback_at"
    | "resolved_at"
    | "resolved_by"
    | "resolution_note"
  >
>

/** Sets flags and bookkeeping on an attempt; never its state (that is moveAttemptStep's). */
export const flagAttemptStep = createStep(
  "mpesa-flag-attempt",
  async (input: { attempt_id: string; flags: AttemptFlags; known?: Attempt }, { container }) => {
    // `known`: the attempt as the caller read it within this workflow (the values put back on compensation).
    const before = input.known ?? (await retrieveAttempt(container, input.attempt_id))
    // Nothing to write (a resolved attempt, a failure already written back): no write at all.
    if (input.known && Object.entries(input.flags).every(([key, value]) => (before[key as keyof Attempt] ?? null) === (value ?? null))) {
      return new StepResponse(before, null)
    }
    // One statement, and the row as written (no read back): only these columns change.
    await writeAttemptColumns(container, before.id, input.flags)
    const after: Attempt = { ...before, ...input.flags }
    const previous = Object.fromEntries(Object.keys(input.flags).map((key) => [key, before[key as keyof Attempt]]))
    return new StepResponse(after, { id: before.id, previous })
  },
  async (undo, { container }) => {
    if (undo) {
      await ledgerOf(container).updateMpesaAttempts({ id: undo.id, ...undo.previous })
    }
  }
)

