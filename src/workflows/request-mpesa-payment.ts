import { randomUUID } from "node:crypto"

import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"

import { attemptOfSession, type Attempt } from "../modules/mpesa/ledger"
import { asRefusal, refusal, REFUSALS, type RefusalCode } from "../payment/refusals"
import { startMpesaPaymentWorkflow } from "./start-mpesa-payment"
import { DESK_LOCK, orderCollectionWorkflow, payableOrderStep } from "./steps/desk"

export type RequestMpesaPaymentInput = {
  order_id: string
  provider_id: string
  /** The number to prompt; the order's own (shipping, billing, customer) when left out. */
  phone?: string
  /** The admin user who asked. */
  actor_id?: string
  /** The amount the merchant saw: refused (MPESA_AMOUNT_CHANGED) when the order now owes another. */
  expected_amount?: number
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

export const requestMpesaPaymentWorkflowId = "request-mpesa-payment"

/**
 * The admin's "Request M-Pesa payment", as a workflow on the checkout's rails: the order's lock
 * first (so two requests — two tabs, two admins, two servers — never choose or create two
 * collections), then what the order owes (queries/order-balance: the one owner), its payment
 * collection sized to exactly that, and the prompt through start-mpesa-payment as a step —
 * the checkout's own guard (one live prompt per collection, the per-phone limit, the ledger row
 * before the push). The amount is never the admin's to type. Paid, it is settled like any other
 * (settle-mpesa-payment: captured on the order's collection; a draft becomes an order, once).
 */
export const requestMpesaPaymentWorkflow = createWorkflow(
  requestMpesaPaymentWorkflowId,
  (input: RequestMpesaPaymentInput & { owner_id: string }) => {
    acquireLockStep({ key: input.order_id, timeout: DESK_LOCK.timeout, ttl: DESK_LOCK.ttl, ownerId: input.owner_id })
    const balance = payableOrderStep(transform({ input }, ({ input }) => ({ order_id: input.order_id, what: "ask for" as const, expected_amount: input.expected_amount })))
    const phone = transform({ input, balance }, ({ input, balance }) => {
      const phone = input.phone ?? balance.phone
      if (!phone) {
        throw refusal("MPESA_MISSING_PHONE", `${balance.label} has no phone number: enter the customer's M-Pesa number.`)
      }
      return phone
    })
    const collectionId = orderCollectionWorkflow.runAsStep({
      input: transform({ input, balance }, ({ input, balance }) => ({ order_id: input.order_id, amount: balance.outstanding })),
    })
    const started = startMpesaPaymentWorkflow.runAsStep({
      input: transform({ input, phone, collectionId }, ({ input, phone, collectionId }) => ({
        payment_collection_id: collectionId,
        provider_id: input.provider_id,
        data: { phone_number: phone },
        origin: "admin_request" as const,
        requested_by: input.actor_id,
        owner_id: input.owner_id,
      })),
    })
    releaseLockStep({ key: input.order_id, ownerId: input.owner_id })
    return new WorkflowResponse(started)
  }
)

/** Runs the request for the admin route: the prompt's attempt, or a refusal in the merchant's words. */
export async function requestMpesaPayment(container: MedusaContainer, input: RequestMpesaPaymentInput): Promise<{ attempt: Attempt } | { refused: RequestRefused }> {
  const { result, errors } = await requestMpesaPaymentWorkflow(container).run({ input: { ...input, owner_id: randomUUID() }, throwOnError: false })
  if (errors?.length) {
    const error = asRefusal(errors[0].error)
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
