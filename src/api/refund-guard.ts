import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"

import type { RefundRequest } from "../providers/session-data"

import { kes } from "../payment/recorded-payment"
import { REFUNDS_README } from "../payment/refunds"
import { isMpesaProviderId } from "../providers/registry"


type PaymentRow = {
  id: string
  provider_id: string
  data?: { receipt?: string } | null
  captures?: Array<{ amount: unknown } | null> | null
  refunds?: Array<{ amount: unknown } | null> | null
}

/** What of an M-Pesa payment was captured and not yet refunded, in KES. */
export function unrefunded(payment: PaymentRow): number {
  const sum = (rows: PaymentRow["captures"]) =>
    (rows ?? []).reduce((total, row) => MathBN.add(total, (row?.amount as number) ?? 0), MathBN.convert(0))
  return MathBN.convert(MathBN.sub(sum(payment.captures), sum(payment.refunds))).toNumber()
}

/**
 * Guards `POST /admin/orders/:id/cancel`. Cancelling a paid order makes Medusa refund the
 * payment, and Medusa 2.21 swallows a provider's refusal there (core-flows
 * payment/steps/refund-payments.js logs it and carries on): the order would be cancelled, the
 * admin would see success, and the customer would not get their money back. M-Pesa cannot be
 * refunded through the aggregators, so a paid M-Pesa order is cancelled only once its payment
 * has been refunded (reversed in the M-Pesa portal and recorded with `manualRefunds`).
 */
export async function refuseCancelOfUnrefundedMpesaOrder(
  req: MedusaRequest,
  _res: MedusaResponse,
  next: MedusaNextFunction
): Promise<void> {
  try {
    const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "payment_collections.payments.id",
        "payment_collections.payments.provider_id",
        "payment_collections.payments.data",
        "payment_collections.payments.captures.amount",
        "payment_collections.payments.refunds.amount",
      ],
      filters: { id: req.params.id },
    })
    const payments: PaymentRow[] = (data[0]?.payment_collections ?? []).flatMap(
      (collection: { payments?: PaymentRow[] } | null) => collection?.payments ?? []
    )
    const owed = payments.filter((payment) => isMpesaProviderId(payment.provider_id) && unrefunded(payment) > 0)
    if (owed.length) {
      const what = owed
        .map((payment) => `${kes(unrefunded(payment))}${payment.data?.receipt ? ` (M-Pesa receipt ${payment.data.receipt})` : ""}`)
        .join(", ")
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `This order was paid with M-Pesa: ${what}. M-Pesa payments cannot be refunded automatically, so the order is not cancelled. Reverse the payment from your M-Pesa portal, record the refund on the order (how: ${REFUNDS_README}), then cancel.`,
        "MPESA_REFUND_REQUIRED"
      )
    }
    next()
  } catch (error) {
    next(error)
  }
}

/**
 * Guards `POST /admin/payments/:id/refund`: a merchant pressing Refund on an M-Pesa payment is
 * the only refund the provider records (with `manualRefunds`). The request is put on the
 * payment's data for the provider to see; a refund Medusa starts by itself carries none and
 * is refused (MPESA_REFUND_NOT_REQUESTED).
 */
export async function markMerchantRefund(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  try {
    const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const [payment] = await paymentModule.listPayments({ id: req.params.id }, { select: ["id", "provider_id", "data"] })
    if (payment && isMpesaProviderId(payment.provider_id)) {
      const body = (req.validatedBody ?? req.body ?? {}) as { amount?: number; note?: string }
      const request: RefundRequest = {
        requested_at: new Date().toISOString(),
        requested_by: (req as { auth_context?: { actor_id?: string } }).auth_context?.actor_id,
        ...(body.amount !== undefined ? { amount: body.amount } : {}),
        ...(body.note ? { note: body.note } : {}),
      }
      // updatePayment is typed for `id` only but writes what it is given (payment-module.js).
      await paymentModule.updatePayment({ id: payment.id, data: { ...(payment.data ?? {}), refund_request: request } } as never)
    }
    next()
  } catch (error) {
    next(error)
  }
}
