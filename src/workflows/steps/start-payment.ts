import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createPaymentSessionsWorkflow } from "@medusajs/medusa/core-flows"

import { checkSafaricomPhone, maskPhone } from "../../lib/phone"
import { isLive, isPaidInFull, isResolved, secondsLeft, STATE } from "../../payment/attempt"
import { mayCheckNow } from "../../payment/check-schedule"
import { pluginOptions } from "../../payment/plugin-options"
import { isUnconfirmedSessionData } from "../../providers/session-data"
import { REFUSALS, type RefusalCode } from "../../payment/refusals"
import { recheckMpesaPaymentWorkflow } from "../recheck-mpesa-payment"
import { cartOfCollection } from "../queries/find-order"
import { ledgerOf, type Attempt } from "../../modules/mpesa/ledger"
import { moveAttempt } from "./move-attempt"
import { mpesaGateway } from "../../providers/registry"

/** A refusal as data: the workflow still releases its locks, and the route answers with it. */
export type Refused = { code: RefusalCode; message: string; retry_after?: number }

export type StartInput = {
  payment_collection_id: string
  provider_id: string
  data?: Record<string, unknown>
  customer_id?: string
  /** Set only by the admin's "Request M-Pesa payment": who sent it (the store route never passes these). */
  origin?: "checkout" | "admin_request"
  requested_by?: string
}

export type Prepared =
  | { refused: Refused }
  | {
      refused?: undefined
      gateway: "lipia" | "lipwa"
      cart_id: string | null
      /** The number the push goes to, for sendPushStep to seal: it is never written anywhere whole. */
      msisdn: string
      phone_hash: string
      phone_masked: string
      lock_keys: string[]
    }

/**
 * Who is paying and what to lock: the phone (as the provider will read it: the session data,
 * else the customer's phone), hashed with the provider's key so the per-phone limit can count
 * without storing the number, and the cart.
 */
export const preparePushStep = createStep("mpesa-prepare-push", async (input: StartInput, { container }) => {
  const provider = mpesaGateway(container, input.provider_id)
  let raw = input.data?.phone_number ?? input.data?.phone
  if (raw === undefined && input.customer_id) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "customer", fields: ["phone"], filters: { id: input.customer_id } })
    raw = data[0]?.phone ?? undefined
  }
  const phone = checkSafaricomPhone(raw)
  if (!phone.ok) {
    return new StepResponse<Prepared>({ refused: { code: phone.code as RefusalCode, message: phone.message } })
  }
  const phoneHash = provider.phoneHash(phone.msisdn)
  const cartId = await cartOfCollection(container, input.payment_collection_id)
  return new StepResponse<Prepared>({
    gateway: provider.gatewayName,
    cart_id: cartId ?? null,
    msisdn: phone.msisdn,
    phone_hash: phoneHash,
    phone_masked: maskPhone(phone.msisdn),
    // Sorted: several keys are taken one by one, and the same order everywhere avoids deadlocks.
    lock_keys: [`mpesa:collection:${input.payment_collection_id}`, `mpesa:phone:${phoneHash}`].sort(),
  })
})

/** A phone's recent prompts, counted by the new-prompt guard: its hash, and since when. */
export type PhoneWindow = { phone_hash: string; since: Date }

/**
 * What a payment collection already has: money (or a signed claim of it the merchant has not
 * looked at yet), or a prompt still live on a phone. A live prompt is asked about first: if it
 * already failed or was paid, the answer says so. Read from the ledger, so every process sees
 * every other's attempts; callers hold the collection's lock. Used by a new prompt's guard and
 * by a payment the merchant records by its receipt — the same rule from both sides.
 *
 * `phone`: the guard also counts that phone's prompts in its window — read in the same query
 * (one round trip per "Pay" instead of two), newest first. A prompt the merchant recorded by
 * its receipt rang no phone, and one never sent rang nothing: neither counts.
 */
export async function collectionBusy(
  container: MedusaContainer,
  collectionId: string,
  askedBy: "pay" | "merchant",
  phone?: PhoneWindow
): Promise<{ paid?: Attempt; live?: Attempt; phonePrompts: Attempt[] }> {
  const { promptLifetimeMs, phonePromptLimit } = pluginOptions(container)
  const read = async () => {
    // Room for both lists in full, as the two queries this replaced read them (a collection's
    // 50 newest, a phone's window up to its limit): one list's rows never crowd out the other's.
    const rows: Attempt[] = await ledgerOf(container).guardAttempts(collectionId, phone, COLLECTION_ROWS + (phone ? phonePromptLimit : 0))
    return {
      ofCollection: rows.filter((attempt) => attempt.payment_collection_id === collectionId),
      ofPhone: phone ? rows.filter((attempt) => promptOfPhone(attempt, phone)) : [],
    }
  }
  let attempts = await read()
  const live = attempts.ofCollection.filter((attempt) => isLive(attempt, promptLifetimeMs) && !!attempt.reference && mayCheckNow(attempt))
  for (const attempt of live) {
    await recheckMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id, asked_by: askedBy } })
  }
  if (live.length) {
    attempts = await read()
  }
  return {
    paid: attempts.ofCollection.find((attempt) => isPaidInFull(attempt.state) || (attempt.unverified && !isResolved(attempt))),
    live: attempts.ofCollection.find((attempt) => isLive(attempt, promptLifetimeMs)),
    phonePrompts: attempts.ofPhone,
  }
}

/** A collection's attempts read by the guard, newest first (a cart has a handful). */
const COLLECTION_ROWS = 50

/** The same test as the query's second branch, to tell the rows of one query apart. */
function promptOfPhone(attempt: Attempt, phone: PhoneWindow): boolean {
  return attempt.phone_hash === phone.phone_hash && new Date(attempt.pushed_at) > phone.since && attempt.state !== STATE.not_sent && attempt.origin !== "recorded"
}

/**
 * At most one live prompt per cart, and a bounded number per phone — read from the ledger,
 * under the locks the workflow holds, so concurrent "Pay" requests on any server see each
 * other's attempts (a push still in flight is already on record as `pushing`). A live
 * prompt is asked about first: if it already failed, a new one may go.
 */
export const guardNewPushStep = createStep(
  "mpesa-guard-new-push",
  async (input: { payment_collection_id: string; phone_hash: string }, { container }) => {
    const options = pluginOptions(container)
    const since = new Date(Date.now() - options.phonePromptWindowMs)
    const { paid, live, phonePrompts } = await collectionBusy(container, input.payment_collection_id, "pay", { phone_hash: input.phone_hash, since })
    if (paid) {
      return new StepResponse<Refused | undefined>({ code: "MPESA_PAYMENT_RECEIVED", message: REFUSALS.MPESA_PAYMENT_RECEIVED.message })
    }
    if (live) {
      return new StepResponse<Refused | undefined>({
        code: "MPESA_PAYMENT_IN_PROGRESS",
        message: REFUSALS.MPESA_PAYMENT_IN_PROGRESS.message,
        retry_after: secondsLeft(live, options.promptLifetimeMs),
      })
    }
    if (phonePrompts.length >= options.phonePromptLimit) {
      // Newest first: the limit frees up when the oldest of the window's prompts leaves it.
      const oldest = phonePrompts[phonePrompts.length - 1]
      return new StepResponse<Refused | undefined>({
        code: "MPESA_TOO_MANY_PROMPTS",
        message: REFUSALS.MPESA_TOO_MANY_PROMPTS.message,
        retry_after: secondsLeft(oldest, options.phonePromptWindowMs),
      })
    }
    return new StepResponse<Refused | undefined>(undefined)
  }
)

/**
 * Writes the attempt before the push leaves, so a prompt in flight is already on record (and
 * counts as live for the guard in every process). Deliberately without compensation: if a
 * later step fails, the phone may be ringing, and a `pushing` row is exactly what must stay —
 * live for the prompt's lifetime, then expired by the recovery job.
 */
export const recordPushStep = createStep(
  "mpesa-record-push",
  async (
    input: {
      gateway: "lipia" | "lipwa"
      provider_id: string
      payment_collection_id: string
      cart_id: string | null
      phone_hash: string
      phone_masked: string
      origin: "checkout" | "admin_request"
      requested_by: string | null
    },
    { container }
  ) => {
    const attempt: Attempt = await ledgerOf(container).insertAttempt({ ...input, state: STATE.pushing, pushed_at: new Date() })
    return new StepResponse(attempt)
  }
)

export type Pushed =
  | { ok: true; session_id: string; data: Record<string, unknown> }
  | { ok: false; error: { type?: string; code?: string; message: string } }

/**
 * Medusa's own session creation (which calls the provider, which sends the STK push). Its
 * failure is returned, not thrown: the attempt must still be settled and the locks released.
 *
 * The session's data is built from an allow-list: the phone, sealed, and the attempt the
 * callback URL will name. Anything else the storefront sent (`refund_request`, `receipt`,
 * `hold`, `state`…) would otherwise be stored with the session — and copied onto the Payment —
 * by Medusa (payment-module createPaymentSession merges it in).
 *
 * Medusa writes the session row, its data and its context, before it calls the provider: the
 * number goes sealed for this attempt (lib/sealed-phone.ts), which only the provider opens,
 * and no customer is passed, since Medusa would store the whole customer (phone and addresses)
 * as the session's context. preparePushStep already took the customer's phone when the
 * shopper typed none; M-Pesa has no account holders to create.
 */
export const sendPushStep = createStep(
  "mpesa-send-push",
  async (input: Pick<StartInput, "payment_collection_id" | "provider_id"> & { attempt_id: string; msisdn: string }, { container }) => {
    const data = { phone_sealed: mpesaGateway(container, input.provider_id).sealPhone(input.msisdn, input.attempt_id), attempt_id: input.attempt_id }
    const { result, errors } = await createPaymentSessionsWorkflow(container).run({
      input: { payment_collection_id: input.payment_collection_id, provider_id: input.provider_id, data },
      throwOnError: false,
    })
    if (errors?.length) {
      const error = errors[0].error as { type?: string; code?: string; message?: string }
      return new StepResponse<Pushed>({
        ok: false,
        error: { type: error.type, code: error.code, message: String(error.message ?? "M-Pesa could not send the payment prompt.") },
      })
    }
    return new StepResponse<Pushed>({ ok: true, session_id: result.id, data: (result.data ?? {}) as Record<string, unknown> })
  }
)

/**
 * Records what became of the push: accepted (with the gateway's references, so callbacks and
 * checks find it), or provably not sent. A push that may or may not have reached M-Pesa (the
 * provider kept its session as `push_unconfirmed`) stays `pushing`, now with its session:
 * live for the prompt's lifetime, then expired — and a callback naming the attempt still finds it.
 */
export const settlePushStep = createStep("mpesa-settle-push", async (input: { attempt_id: string; pushed: Pushed; attempt?: Attempt }, { container }) => {
  // The phone may be ringing: a failed write is retried before the request fails loudly.
  for (let tries = 1; ; tries++) {
    try {
      await settle(container, input)
      return new StepResponse(undefined)
    } catch (error) {
      if (tries >= 3) {
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * tries))
    }
  }
})

async function settle(container: MedusaContainer, input: { attempt_id: string; pushed: Pushed; attempt?: Attempt }): Promise<void> {
  const { pushed } = input
  // The row as recordPushStep wrote it: a move from it is a compare-and-set on its state.
  const known = input.attempt
  if (!pushed.ok) {
    await moveAttempt(container, { attempt_id: input.attempt_id, event: "push_refused", facts: { message: pushed.error.message }, known })
    return
  }
  const data = pushed.data
  const columns = {
    session_id: pushed.session_id,
    callback_reference: typeof data.callback_reference === "string" ? data.callback_reference : null,
    amount_requested: Number(data.amount_requested),
    pushed_at: new Date(String(data.pushed_at ?? new Date().toISOString())),
    message: typeof data.message === "string" ? data.message : null,
  }
  if (isUnconfirmedSessionData(data)) {
    await ledgerOf(container).updateMpesaAttempts({ id: input.attempt_id, ...columns })
    return
  }
  await moveAttempt(container, {
    attempt_id: input.attempt_id,
    event: "push_accepted",
    patch: { ...columns, reference: String(data.reference), checkout_id: typeof data.checkout_id === "string" ? data.checkout_id : null },
    known,
  })
}
