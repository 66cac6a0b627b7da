import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import type { CallbackResult, GatewayName } from "../gateways/gateway"
import { callbackSubject } from "../lib/callback-url"
import { maskPhone } from "../lib/phone"
import { attemptById, ledgerOf, type Attempt } from "../modules/mpesa/ledger"
import { callbackConfirmed, isResolved, receivedMoney } from "../payment/attempt"
import { refusal, REFUSALS, refusalResponse, type RefusalCode } from "../payment/refusals"
import type { MpesaGatewayAccess } from "../providers/gateway-access"
import { mpesaGateway, mpesaGatewaysOf } from "../providers/registry"
import { attemptForSession } from "./adopt-mpesa-session"
import { recheckMpesaPaymentWorkflow } from "./recheck-mpesa-payment"
import { kes } from "../lib/amount"

export type CallbackAnswer = { ok: true } | { ok: false; status: number; code: RefusalCode; message: string }

/** What the callback log records of who sent it: whether the URL's signature held, and the attempt it matched (none: unmatched). */
export type CallbackSeen = { signature_valid: boolean; attempt_id: string | null }

const refused = (code: RefusalCode, message?: string): CallbackAnswer => ({ ok: false, status: REFUSALS[code].http, code, message: message ?? REFUSALS[code].message })

/**
 * A callback an aggregator POSTed to `/hooks/mpesa/{gateway}?attempt_id=…&sig=…`, whole:
 *
 * 1. **signature first** — the URL's HMAC, under the secret of one of this gateway's
 *    providers; nothing is looked up or adopted before it holds, and an unknown attempt gets
 *    the same answer as a bad signature (the route tells an outsider nothing);
 * 2. **parse and match** — the body in the gateway's documented shape, naming this attempt's
 *    push (a push whose answer was lost has no reference yet: the callback tells it, and where
 *    the gateway can be asked by it — Lipwa's checkout id — it is recorded);
 * 3. **verify and record** — the status API is asked (recheck-mpesa-payment), the ledger moves
 *    along the lifecycle, and a settled outcome goes on to be settled (an order, a write-back).
 *    A payment the status API cannot be asked about (Lipia, push fate unknown) is recorded as
 *    the callback reported it, marked `unverified`, and held for the merchant.
 *
 * `seen` is filled in as it goes (signature held? which attempt?), for the callback log.
 */
export async function receiveMpesaCallback(
  container: MedusaContainer,
  request: { gateway: GatewayName; query: Record<string, unknown>; body: unknown },
  seen: CallbackSeen = { signature_valid: false, attempt_id: null }
): Promise<CallbackAnswer> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const subject = callbackSubject(request.query)
  const id = subject?.attemptId ?? subject?.sessionId
  const signer = id ? await signingProvider(container, request.gateway, id, request.query.sig) : undefined
  if (!subject || !signer) {
    return refused("MPESA_BAD_SIGNATURE")
  }
  seen.signature_valid = true
  const attempt = subject.attemptId
    ? await attemptById(container, subject.attemptId, request.gateway)
    : await attemptForSession(container, subject.sessionId!, request.gateway)
  if (!attempt?.provider_id) {
    // Signed by us, but no such payment (a session started elsewhere and gone): same answer.
    return refused("MPESA_BAD_SIGNATURE")
  }
  try {
    const provider = mpesaGateway(container, attempt.provider_id)
    if (!provider.isSignedCallback(id, request.query.sig)) {
      // Signed with another provider's secret than the one that sent this push.
      seen.signature_valid = false
      return refused("MPESA_BAD_SIGNATURE")
    }
    seen.attempt_id = attempt.id
    const callback = provider.parseCallback(request.body)
    provider.matchCallback(callback, attempt)
    if (isResolved(attempt)) {
      // The merchant's word is final: the callback is noted on the attempt, nothing moves. Money
      // it reports is still said out loud, for the merchant to match in the portal.
      if (callback.state === "paid") {
        logger.error(
          `M-Pesa (${request.gateway}): a callback reports KES ${callback.amount ?? "?"} paid (receipt ${callback.receipt ?? "none"}) for attempt ${attempt.id}, which was resolved by ${attempt.resolved_by ?? "the merchant"}; nothing was changed — check it in your M-Pesa portal.`
        )
      }
    }
    const recorded = attempt.reference ? attempt : await afterPushRecorded(container, attempt)
    if (!recorded.reference && !recorded.session_id && Date.now() - new Date(recorded.pushed_at).getTime() < PUSH_IN_FLIGHT_MS) {
      // Still being started: the store has not recorded its own answer to the push yet. Never
      // guess its fate from a callback; the aggregator may send it again, and the job asks anyway.
      return refused("MPESA_STATUS_UNAVAILABLE", "The payment is still being started; send the callback again in a moment.")
    }
    const known = recorded.reference ? recorded : await learnReference(container, provider, recorded, callback)
    if (receivedMoney(known.state) && !isResolved(known)) {
      // Heard before (every aggregator retries): the money is on record and never asked about
      // again, so there is nothing to verify or move. The callback log keeps this delivery.
      return { ok: true }
    }

    const { result } = await recheckMpesaPaymentWorkflow(container).run({ input: { attempt_id: known.id, asked_by: "callback", attempt: known } })
    if (result.error) {
      // Say so, so a gateway that retries will; the recovery job asks again anyway.
      return refused("MPESA_STATUS_UNAVAILABLE", result.error)
    }
    if (!known.reference && !isResolved(known)) {
      await recordUnverified(container, known, callback)
      return { ok: true }
    }
    if (!callbackConfirmed(callback.state, result.verdict?.event)) {
      logger.warn(`M-Pesa (${request.gateway}): a callback for attempt ${attempt.id} says ${callback.state}; the status API does not agree, and wins`)
      return refused("MPESA_CALLBACK_UNCONFIRMED", `The callback says ${callback.state}, which the gateway's status API does not confirm.`)
    }
    return { ok: true }
  } catch (error) {
    const answer = refusalResponse(error)
    if (!answer) {
      throw error
    }
    return refused(answer.body.code as RefusalCode, String(answer.body.message))
  }
}

/**
 * How long a push may be in flight: the client's longest timeout (15 s by default) and the
 * session's creation around it. A row still without its session after this is a push whose
 * process died before recording the answer: its fate is unknown, and its callback is heard.
 */
const PUSH_IN_FLIGHT_MS = 60_000

/** A callback can beat the store's own answer to the push by milliseconds: wait (briefly) for that answer to be recorded. */
async function afterPushRecorded(container: MedusaContainer, attempt: Attempt): Promise<Attempt> {
  let current = attempt
  for (let waited = 0; !current.reference && !current.session_id && waited < 5_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    current = (await attemptById(container, attempt.id)) ?? current
  }
  return current
}

/** The provider whose callback secret signed `id` for this gateway, if any. */
async function signingProvider(container: MedusaContainer, gateway: GatewayName, id: string, sig: unknown): Promise<MpesaGatewayAccess | undefined> {
  return (await mpesaGatewaysOf(container, gateway)).find((provider) => provider.isSignedCallback(id, sig))
}

/**
 * A push whose answer was lost has no reference yet. Lipwa's callback carries the checkout id
 * its status API takes: recorded on the attempt (only if it has none — the unique index on
 * gateway + reference refuses one that belongs to another attempt), so the status API can
 * confirm the callback like any other.
 */
async function learnReference(container: MedusaContainer, provider: MpesaGatewayAccess, attempt: Attempt, callback: CallbackResult): Promise<Attempt> {
  const reference = provider.statusReferenceOf(callback)
  if (!reference) {
    return attempt
  }
  try {
    await ledgerOf(container).updateAttemptIfState(attempt.id, attempt.state, {
      reference,
      callback_reference: callback.reference,
      checkout_id: callback.checkoutId ?? null,
    })
  } catch {
    throw refusal("MPESA_CALLBACK_MISMATCH")
  }
  return (await attemptById(container, attempt.id)) ?? attempt
}

/**
 * A callback reporting money for a push nobody can ask the gateway about (its fate was
 * unknown, and Lipia's status API needs a reference its callbacks do not carry). It is signed,
 * so it came to the URL only the aggregator was given — but it is a claim, not proof: the
 * receipt and amount are kept, the attempt is flagged `unverified` for the merchant to check
 * in the portal, and it blocks a new prompt for the cart until the merchant resolves it.
 * Nothing is captured and no order is placed by automation.
 */
async function recordUnverified(container: MedusaContainer, attempt: Attempt, callback: CallbackResult): Promise<void> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (callback.state !== "paid") {
    return
  }
  const ledger = ledgerOf(container)
  const claim = {
    unverified: true,
    amount_paid: callback.amount ?? null,
    message: `A callback reported ${callback.amount === undefined || callback.amount === null ? "an unknown amount" : kes(callback.amount)} paid${callback.receipt ? ` (M-Pesa receipt ${callback.receipt})` : ""}; the gateway cannot confirm it by API.`,
  }
  try {
    await ledger.updateMpesaAttempts({ id: attempt.id, ...claim, ...(callback.receipt ? { receipt: callback.receipt } : {}) })
  } catch {
    // The receipt is already on another attempt (unique): keep the claim without it.
    await ledger.updateMpesaAttempts({ id: attempt.id, ...claim })
  }
  logger.error(
    `M-Pesa (${attempt.gateway}): attempt ${attempt.id} (${attempt.phone_masked}) — a signed callback reports KES ${callback.amount ?? "?"} paid (receipt ${callback.receipt ?? "none"}, phone ${callback.phone ? maskPhone(callback.phone) : "unknown"}) for a push whose answer was lost; the gateway cannot confirm it. Held for the merchant.`
  )
}
