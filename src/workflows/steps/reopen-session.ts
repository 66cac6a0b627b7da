import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { toAmountNumber } from "../../lib/amount"

type Previous = Parameters<IPaymentModuleService["updatePaymentSession"]>[0]

const CLOSED: string[] = [PaymentSessionStatus.ERROR, PaymentSessionStatus.CANCELED]

/**
 * A payment that succeeds after its session was closed (expired by the recovery job, or
 * marked failed) must still become an order: Medusa only completes a cart whose session is
 * pending or authorized (core-flows cart/steps/validate-cart-payments.js), so the session is
 * put back to pending with the confirmed data before the cart is completed. Compensation
 * closes it again.
 */
export const reopenSessionStep = createStep(
  "mpesa-reopen-session",
  async (input: { session_id: string; data: Record<string, unknown> }, { container }) => {
    const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const session = await paymentModule
      .retrievePaymentSession(input.session_id, { select: ["id", "status", "data", "amount", "currency_code"] })
      .catch(() => undefined)
    if (!session || !CLOSED.includes(session.status)) {
      return new StepResponse<boolean, Previous | null>(false, null)
    }
    const base = { id: session.id, amount: toAmountNumber(session.amount), currency_code: session.currency_code }
    await paymentModule.updatePaymentSession({ ...base, data: input.data, status: PaymentSessionStatus.PENDING })
    return new StepResponse<boolean, Previous | null>(true, { ...base, data: session.data ?? {}, status: session.status })
  },
  async (previous, { container }) => {
    if (previous) {
      await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePaymentSession(previous)
    }
  }
)
