import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

import { toAmountNumber } from "../../lib/amount"

type Previous = Parameters<IPaymentModuleService["updatePaymentSession"]>[0]

const CLOSED: string[] = [PaymentSessionStatus.ERROR, PaymentSessionStatus.CANCELED]

/**
 * Before a paid attempt's cart is completed, its session is given the confirmed data (state
 * `paid`, receipt, amount), so the provider's authorization answers from it instead of asking
 * the status API a second time — that request is one of Lipwa's 10 per second, per payment.
 *
 * A payment that succeeds after its session was closed (expired by the recovery job, or
 * marked failed) must still become an order: Medusa only completes a cart whose session is
 * pending or authorized (core-flows cart/steps/validate-cart-payments.js), so such a session is
 * also put back to pending. Compensation restores the session as it was.
 */
export const reopenSessionStep = createStep(
  "mpesa-reopen-session",
  async (input: { session_id: string; data: Record<string, unknown> }, { container }) => {
    const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const session = await paymentModule
      .retrievePaymentSession(input.session_id, { select: ["id", "status", "data", "amount", "currency_code"] })
      .catch(() => undefined)
    if (!session || (!CLOSED.includes(session.status) && session.status !== PaymentSessionStatus.PENDING)) {
      return new StepResponse<boolean, Previous | null>(false, null)
    }
    const base = { id: session.id, amount: toAmountNumber(session.amount), currency_code: session.currency_code }
    await paymentModule.updatePaymentSession({ ...base, data: input.data, status: PaymentSessionStatus.PENDING })
    return new StepResponse<boolean, Previous | null>(CLOSED.includes(session.status), { ...base, data: session.data ?? {}, status: session.status })
  },
  async (previous, { container }) => {
    if (previous) {
      await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePaymentSession(previous)
    }
  }
)
