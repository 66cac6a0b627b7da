import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { toAmountNumber } from "../../lib/amount"

export type WriteBackInput = {
  session_id: string
  status: `${PaymentSessionStatus}`
  data: Record<string, unknown>
}

type Previous = { id: string; status: WriteBackInput["status"]; data: Record<string, unknown>; amount: number; currency_code: string }

// A session Medusa already authorized or captured is never rewritten by a later verdict.
const SETTLED: string[] = [PaymentSessionStatus.AUTHORIZED, PaymentSessionStatus.CAPTURED]

/**
 * Writes a verified outcome that Medusa itself would drop (failed, cancelled, timed out, paid
 * the wrong amount) into the payment session, so the storefront can show why and offer a new
 * attempt. Goes through `updatePaymentSession`, whose provider hook returns the data unchanged
 * when the amount is unchanged. Compensation puts the session back as it was.
 */
export const writeBackSessionStep = createStep(
  "mpesa-write-back-session",
  async (input: WriteBackInput, { container }) => {
    const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const session = await paymentModule.retrievePaymentSession(input.session_id, {
      select: ["id", "status", "data", "amount", "currency_code"],
    })
    if (SETTLED.includes(session.status)) {
      return new StepResponse<{ updated: boolean }, Previous | null>({ updated: false }, null)
    }
    const previous: Previous = {
      id: session.id,
      status: session.status as WriteBackInput["status"],
      data: session.data ?? {},
      amount: toAmountNumber(session.amount),
      currency_code: session.currency_code,
    }
    await paymentModule.updatePaymentSession({
      id: session.id,
      amount: previous.amount,
      currency_code: previous.currency_code,
      data: input.data,
      status: input.status,
    })
    return new StepResponse<{ updated: boolean }, Previous | null>({ updated: true }, previous)
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePaymentSession(
      previous as Parameters<IPaymentModuleService["updatePaymentSession"]>[0]
    )
  }
)
