import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { toAmountNumber } from "../../lib/amount"
import { retrieveAttempt, type Attempt } from "../../modules/mpesa/ledger"
import { isOver, isPaidInFull, isResolved } from "../../payment/attempt"
import { sessionUpdateOf } from "../session-data-of"

type Previous = Parameters<IPaymentModuleService["updatePaymentSession"]>[0]

// A paid cart must stay completable: Medusa completes a cart only on a pending or authorized
// session (core-flows cart/steps/validate-cart-payments.js), so a closed one is reopened.
const REOPENABLE: string[] = [PaymentSessionStatus.PENDING, PaymentSessionStatus.ERROR, PaymentSessionStatus.CANCELED]
// A session Medusa already authorized or captured is never rewritten by a later verdict.
const SETTLED: string[] = [PaymentSessionStatus.AUTHORIZED, PaymentSessionStatus.CAPTURED]

/**
 * Whether a session already carries the ledger's verdict on a paid attempt, as mirrorVerdict
 * writes it: still `pending` (completable), with the attempt's state and receipt in its data.
 */
export function sessionCarriesPayment(attempt: Pick<Attempt, "state" | "receipt">, session: { status: string; data?: Record<string, unknown> | null } | null): boolean {
  const data = session?.data ?? {}
  return !!session && session.status === PaymentSessionStatus.PENDING && data.state === attempt.state && (data.receipt ?? null) === attempt.receipt
}

/**
 * Copies the ledger's verdict on an attempt into its Medusa payment session (see the step
 * below). Returns the session as it was when it wrote, null when there was nothing to write.
 * `known`: the attempt as the caller just wrote it (not read again).
 */
export async function mirrorVerdict(container: MedusaContainer, attemptId: string, known?: Attempt): Promise<Previous | null> {
  const attempt = known ?? (await retrieveAttempt(container, attemptId))
  if (!attempt.session_id || !isOver(attempt.state) || isResolved(attempt)) {
    return null
  }
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const session = await paymentModule
    .retrievePaymentSession(attempt.session_id, { select: ["id", "status", "data", "amount", "currency_code"] })
    .catch(() => undefined)
  const paid = isPaidInFull(attempt.state)
  if (!session || (paid ? !REOPENABLE.includes(session.status) : SETTLED.includes(session.status))) {
    return null
  }
  const data = session.data ?? {}
  const update = sessionUpdateOf(attempt, data)
  const status = paid ? PaymentSessionStatus.PENDING : update.status
  if (session.status === status && data.state === attempt.state && (data.receipt ?? null) === attempt.receipt) {
    return null
  }
  const base = { id: session.id, amount: toAmountNumber(session.amount), currency_code: session.currency_code }
  await paymentModule.updatePaymentSession({ ...base, data: update.data, status })
  return { ...base, data, status: session.status }
}

/**
 * Copies the ledger's verdict on an attempt into its Medusa payment session — the only way the
 * provider learns it (mpesa-base.ts decides nothing). Paid in full: the session gets the
 * receipt and amount and stays (or is put back to) `pending`, so completing the cart authorizes
 * from it without asking the gateway again. Failed, expired, not sent, wrong amount: written in
 * with the status Medusa should show (`error`, `requires_more`), which Medusa itself would drop.
 * Nothing is written when the session already says it, was deleted, or was already authorized;
 * nor for an attempt the merchant resolved. Compensation puts the session back.
 */
export const mirrorVerdictStep = createStep(
  "mpesa-mirror-verdict",
  async (input: { attempt_id: string; attempt?: Attempt }, { container }) => {
    const previous = await mirrorVerdict(container, input.attempt_id, input.attempt)
    return new StepResponse<boolean, Previous | null>(!!previous, previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePaymentSession(previous)
    }
  }
)
