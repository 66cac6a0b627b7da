import type { MedusaContainer } from "@medusajs/framework/types"

import { ledgerOf, type LoggedCallback } from "../../../modules/mpesa/ledger"
import { stateInWords } from "../../../payment/attention"
import { ordersOf } from "../../../workflows/queries/order-numbers"

/**
 * A page of the callback log as a merchant reads it: each matched callback with the payment it
 * was about — its order by number, receipt and amount — rather than the attempt's id alone
 * (`attempt_id` stays for developers). Two queries for the page, whatever its size.
 */
export async function callbackListViews(container: MedusaContainer, callbacks: LoggedCallback[]) {
  const ids = [...new Set(callbacks.map((c) => c.attempt_id).filter((id): id is string => !!id))]
  const attempts = ids.length ? await ledgerOf(container).listMpesaAttempts({ id: ids }, { take: ids.length }) : []
  const orders = await ordersOf(container, attempts)
  const byId = new Map(attempts.map((a, i) => [a.id, { attempt: a, order: orders[i] }]))
  return callbacks.map((callback) => {
    const { attempt, order } = (callback.attempt_id ? byId.get(callback.attempt_id) : undefined) ?? {}
    return {
      ...callback,
      payment: attempt
        ? {
            order_id: order?.id ?? attempt.order_id,
            order_display_id: order?.display_id ?? null,
            order_is_draft: order?.draft ?? false,
            receipt: attempt.receipt,
            amount: attempt.amount_paid ?? attempt.amount_requested,
            state_in_words: stateInWords(attempt),
          }
        : null,
    }
  })
}
