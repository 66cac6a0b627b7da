import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createOrderPaymentCollectionWorkflow, updatePaymentCollectionStep } from "@medusajs/medusa/core-flows"

import { checkCurrency, toAmountNumber } from "../../lib/amount"
import { kes } from "../../payment/recorded-payment"
import { refusal } from "../../payment/refusals"
import { orderBalance, type OrderBalance } from "../queries/order-balance"

/**
 * The desk's lock on an order: the key Medusa's own draft conversion takes (the order id), so a
 * desk action, a conversion and another desk action on the same order — from any process — run
 * one at a time. Taken before a payment collection is chosen or created.
 */
export const DESK_LOCK = { timeout: 15, ttl: 120 } as const

/**
 * What the order owes, read once under the order's lock (the one owner: queries/order-balance),
 * refused in the merchant's words when nothing can be paid: a cancelled order, another
 * currency, nothing (or a refund) outstanding.
 */
export const payableOrderStep = createStep("mpesa-desk-payable-order", async (input: { order_id: string; what: "ask for" | "record"; expected_amount?: number }, { container }) => {
  const balance = await orderBalance(container, input.order_id)
  if (!balance) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No order or draft order with id ${input.order_id}.`)
  }
  const order = balance.label
  if (balance.status === "canceled") {
    throw refusal("MPESA_ORDER_NOT_PAYABLE", `${order} is cancelled: no payment can be ${input.what === "record" ? "recorded" : "asked"} for it.`)
  }
  if (!checkCurrency(balance.currency_code).ok) {
    throw refusal("MPESA_UNSUPPORTED_CURRENCY", `${order} is in ${balance.currency_code.toUpperCase()}: M-Pesa payments are in Kenyan shillings (KES) only.`)
  }
  if (!(balance.outstanding > 0)) {
    throw refusal(
      "MPESA_NOTHING_OUTSTANDING",
      balance.outstanding < 0
        ? `${order} owes nothing: the store owes the customer ${kes(-balance.outstanding)} (a refund, not a payment).`
        : `${order} owes nothing: there is no amount to ${input.what}.`
    )
  }
  // The amount on the merchant's button was read a moment ago; a shipping line, an edit or a
  // payment since then changes it. A prompt for another amount than the one shown is refused, not sent.
  if (input.expected_amount !== undefined && input.expected_amount !== balance.outstanding) {
    throw refusal(
      "MPESA_AMOUNT_CHANGED",
      `${order} now owes ${kes(balance.outstanding)}, not the ${kes(input.expected_amount)} shown (it changed since the page was loaded): check the new amount, then send the prompt again.`
    )
  }
  return new StepResponse<OrderBalance>(balance)
})

type OpenCollection = { id: string; amount: number } | null

const openCollectionStep = createStep("mpesa-desk-open-collection", async (input: { order_id: string }, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order_payment_collection",
    fields: ["payment_collection.id", "payment_collection.status", "payment_collection.amount", "payment_collection.created_at"],
    filters: { order_id: input.order_id },
  })
  const open = data
    .map((link: { payment_collection?: { id: string; status: string; amount: unknown; created_at: string | Date } | null }) => link.payment_collection)
    .filter((c): c is { id: string; status: string; amount: unknown; created_at: string | Date } => !!c && (c.status === "not_paid" || c.status === "awaiting"))
    .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())[0]
  return new StepResponse<OpenCollection>(open ? { id: open.id, amount: toAmountNumber(open.amount) } : null)
})

/**
 * The order's payment collection for exactly `amount` (what the order owes): its open one,
 * brought to that amount, or a new one linked to the order by Medusa's own workflow. Medusa's
 * createOrUpdateOrderPaymentCollectionWorkflow is not used: it sizes the collection from the
 * stored summary, which can disagree with the total the merchant sees (a draft's VAT). Run
 * under the order's lock (DESK_LOCK), so two desk actions never open two collections.
 */
export const orderCollectionWorkflow = createWorkflow("mpesa-desk-order-collection", (input: { order_id: string; amount: number }) => {
  const open = openCollectionStep(input)
  when("mpesa-desk-resize-collection", { open, input }, ({ open, input }) => !!open && open.amount !== input.amount).then(() => {
    updatePaymentCollectionStep(transform({ open, input }, ({ open, input }) => ({ selector: { id: open!.id }, update: { amount: input.amount } })))
  })
  const created = when("mpesa-desk-new-collection", { open }, ({ open }) => !open).then(() =>
    createOrderPaymentCollectionWorkflow.runAsStep({ input: transform({ input }, ({ input }) => ({ order_id: input.order_id, amount: input.amount })) })
  )
  return new WorkflowResponse(
    transform({ open, created }, ({ open, created }) => {
      const id = open?.id ?? (created as Array<{ id: string }> | undefined)?.[0]?.id
      if (!id) {
        throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Medusa did not open a payment collection for what this order owes; reload the order and try again.")
      }
      return id
    })
  )
})
