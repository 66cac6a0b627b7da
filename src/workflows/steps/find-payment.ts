import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type PaymentsFound = {
  /** Medusa recorded a payment for this session: this attempt is what paid the cart's order. */
  paid: boolean
  /** The collection holds a payment (this session's or another's) that was not canceled. */
  collection_paid: boolean
}

/**
 * Whether Medusa recorded a payment for this payment session — i.e. whether this attempt is
 * what paid the cart's order — and whether anything paid its collection at all. Payments
 * outlive the cart's other sessions, so this answers after the order was placed. One query.
 */
export const findPaymentOfSessionStep = createStep(
  "mpesa-find-payment",
  async (input: { session_id: string | null; payment_collection_id?: string | null }, { container }) => {
    if (!input.session_id) {
      return new StepResponse<PaymentsFound>({ paid: false, collection_paid: false })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const filters = input.payment_collection_id ? { payment_collection_id: input.payment_collection_id } : { payment_session_id: input.session_id }
    const { data } = await query.graph({ entity: "payment", fields: ["id", "payment_session_id", "canceled_at"], filters })
    const standing = (data as Array<{ payment_session_id: string | null; canceled_at: unknown }>).filter((payment) => !payment.canceled_at)
    return new StepResponse<PaymentsFound>({
      paid: data.some((payment: { payment_session_id: string | null }) => payment.payment_session_id === input.session_id),
      collection_paid: standing.length > 0,
    })
  }
)
