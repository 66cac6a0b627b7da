import { randomUUID } from "node:crypto"

import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"

import { checkCurrency } from "../lib/amount"
import { attemptOfSession, type Attempt } from "../modules/mpesa/ledger"
import { refusal, REFUSALS, type RefusalCode } from "../payment/refusals"
import { collectionForBalance, orderBalance } from "./queries/order-balance"
import { startMpesaPaymentWorkflow } from "./start-mpesa-payment"

export type RequestMpesaPaymentInput = {
  order_id: string
  provider_id: string
  /** The number to prompt; the order's own (shipping, billing, customer) when left out. */
  phone?: string
  /** The admin user who asked. */
  actor_id?: string
}

export type RequestRefused = { code: RefusalCode; status: number; message: string; retry_after?: number }

/**
 * A refusal of the start-payment guard, in the merchant's words: the catalogue's messages speak
 * to a shopper at checkout ("already on your phone"), the merchant is asking for someone else.
 */
const MERCHANT_WORDS: Partial<Record<RefusalCode, (retryAfter?: number) => string>> = {
  MPESA_PAYMENT_IN_PROGRESS: (s) => `A payment prompt for this order is still live on the customer's phone${s ? ` (${s} s left)` : ""}: wait for it to be answered or to expire, then send again.`,
  MPESA_PAYMENT_RECEIVED: () => "A payment for this order was already received (or is held for you on the M-Pesa page): do not ask the customer again.",
  MPESA_TOO_MANY_PROMPTS: (s) => `This phone had too many payment prompts in the last few minutes${s ? `; try again in ${s} s` : ""}.`,
  MPESA_SESSION_LOCKED: () => "A payment for this order is being started right now (another tab or the storefront): wait a moment.",
}

/**
 * The admin's "Request M-Pesa payment": an STK prompt for what an order — or a draft order —
 * still owes. The amount is never the admin's to type: Medusa's own workflow brings the
 * order's payment collection to the outstanding amount (the one an order edit's confirmation
 * runs), and the prompt goes out through start-mpesa-payment, exactly as a checkout's does —
 * phone rules, per-phone limit, one live prompt per collection, amount rules, the ledger row
 * first. Paid, it is settled like any other (settle-mpesa-payment: captured on the order's
 * collection; a draft becomes an order, once).
 */
export async function requestMpesaPayment(container: MedusaContainer, input: RequestMpesaPaymentInput): Promise<{ attempt: Attempt } | { refused: RequestRefused }> {
  const balance = await orderBalance(container, input.order_id)
  if (!balance) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No order or draft order with id ${input.order_id}.`)
  }
  if (balance.status === "canceled") {
    throw refusal("MPESA_ORDER_NOT_PAYABLE")
  }
  const currency = checkCurrency(balance.currency_code)
  if (!currency.ok) {
    throw refusal(currency.code as RefusalCode, currency.message)
  }
  if (!(balance.outstanding > 0)) {
    throw refusal(
      "MPESA_NOTHING_OUTSTANDING",
      balance.outstanding < 0
        ? `Order ${balance.display_id ? `#${balance.display_id}` : balance.order_id} owes nothing: the store owes the customer KES ${-balance.outstanding} (a refund, not a payment).`
        : undefined
    )
  }
  const phone = input.phone ?? balance.phone
  if (!phone) {
    throw refusal("MPESA_MISSING_PHONE", "This order has no phone number: enter the customer's M-Pesa number.")
  }
  const collectionId = await collectionForBalance(container, balance.order_id)
  if (!collectionId) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "Medusa did not open a payment collection for what this order owes; reload the order and try again.")
  }

  let result
  try {
    ;({ result } = await startMpesaPaymentWorkflow(container).run({
      input: {
        payment_collection_id: collectionId,
        provider_id: input.provider_id,
        data: { phone_number: phone },
        origin: "admin_request",
        requested_by: input.actor_id,
        owner_id: randomUUID(),
      },
    }))
  } catch (error) {
    if (/acquir(e|ing) lock/i.test(String((error as Error)?.message))) {
      return { refused: merchantRefusal("MPESA_SESSION_LOCKED") }
    }
    throw error
  }
  if (result.refused) {
    return { refused: merchantRefusal(result.refused.code, result.refused.message, result.refused.retry_after) }
  }
  if (!result.pushed?.ok) {
    const error = result.pushed?.error
    throw new MedusaError(error?.type ?? MedusaError.Types.UNEXPECTED_STATE, error?.message ?? "M-Pesa could not send the payment prompt.", error?.code)
  }
  const attempt = await attemptOfSession(container, result.pushed.session_id)
  if (!attempt) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "The prompt was sent but its ledger row was not found; see the M-Pesa page.")
  }
  return { attempt }
}

function merchantRefusal(code: RefusalCode, message?: string, retryAfter?: number): RequestRefused {
  const words = MERCHANT_WORDS[code]
  return {
    code,
    status: REFUSALS[code].http,
    message: words ? words(retryAfter) : (message ?? REFUSALS[code].message),
    ...(retryAfter ? { retry_after: retryAfter } : {}),
  }
}
