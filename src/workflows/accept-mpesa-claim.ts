import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import { redactPhones } from "../lib/phone"
import { retrieveAttempt, type Attempt } from "../modules/mpesa/ledger"
import { isResolved, receivedMoney } from "../payment/attempt"
import { kes } from "../payment/recorded-payment"
import { asRefusal, refusal } from "../payment/refusals"
import { settleMpesaPayment, type Settled } from "./settle-mpesa-payment"
import { loadAttemptStep } from "./steps/load-attempt"
import { moveAttempt } from "./steps/move-attempt"

export type AcceptClaimInput = { attempt_id: string; note: string; actor: string }

/** Why this attempt's claim cannot be accepted, or undefined when it can. */
function whyNotAcceptable(attempt: Attempt): string | undefined {
  if (isResolved(attempt)) {
    return `This payment was marked resolved${attempt.resolved_by ? ` by ${attempt.resolved_by}` : ""}: the merchant's resolution is final, so it can no longer be accepted.`
  }
  if (receivedMoney(attempt.state)) {
    return attempt.attested_by ? "This payment claim was already accepted." : "This payment is already confirmed: there is nothing to accept."
  }
  if (!attempt.unverified) {
    return "Only a payment claim the gateway could not confirm (marked “unverified”) can be accepted on your word."
  }
  if (attempt.amount_paid === null || attempt.amount_paid !== attempt.amount_requested) {
    return `The claim is for ${attempt.amount_paid === null ? "an unknown amount" : kes(attempt.amount_paid)}, but the prompt asked ${attempt.amount_requested === null ? "an unknown amount" : kes(attempt.amount_requested)}: settle the difference with the customer, then mark it resolved.`
  }
  return undefined
}

/**
 * The claim becomes a payment, exactly once: a compare-and-set move along the lifecycle
 * (`merchant_accepted`), which a second acceptance — from another tab or server — finds
 * already made and is refused. Who, when and why are kept as an attestation, shown wherever
 * the payment shows.
 */
const acceptClaimStep = createStep("mpesa-accept-claim", async (input: { attempt: Attempt; note: string; actor: string }, { container }) => {
  const why = whyNotAcceptable(input.attempt)
  if (why) {
    throw refusal("MPESA_CLAIM_NOT_ACCEPTABLE", why)
  }
  const now = new Date()
  const moved = await moveAttempt(container, {
    attempt_id: input.attempt.id,
    event: "merchant_accepted",
    known: input.attempt,
    patch: {
      unverified: false,
      attested: true,
      attested_by: input.actor,
      attested_at: now,
      attestation_note: redactPhones(input.note),
      outcome: "paid",
      message: `Accepted by the merchant on their word: the gateway could not confirm this payment (receipt ${input.attempt.receipt ?? "not given"}).`,
    },
  })
  if (!moved.moved) {
    throw refusal("MPESA_CLAIM_NOT_ACCEPTABLE", whyNotAcceptable(moved.after) ?? "This payment claim changed meanwhile: reload the M-Pesa page.")
  }
  return new StepResponse(moved.after)
})

export const acceptMpesaClaimWorkflowId = "accept-mpesa-claim"

export const acceptMpesaClaimWorkflow = createWorkflow(acceptMpesaClaimWorkflowId, (input: AcceptClaimInput) => {
  const attempt = loadAttemptStep(input)
  return new WorkflowResponse(acceptClaimStep(transform({ input, attempt }, ({ input, attempt }) => ({ attempt, note: input.note, actor: input.actor }))))
})

/**
 * "Accept" on an unverified payment claim (a signed Lipia callback for a push whose answer was
 * lost: the money may be real, and only the merchant's portal can say): the merchant checked
 * it, and the claim pays the order exactly once, through the one settle path — a cart becomes an
 * order, an order's or a draft's collection is captured. A resolved claim stays final.
 */
export async function acceptMpesaClaim(container: MedusaContainer, input: AcceptClaimInput): Promise<{ attempt: Attempt; settled: Settled }> {
  const { errors } = await acceptMpesaClaimWorkflow(container).run({ input, throwOnError: false })
  if (errors?.length) {
    throw asRefusal(errors[0].error)
  }
  const settled = await settleMpesaPayment(container, input.attempt_id)
  return { attempt: await retrieveAttempt(container, input.attempt_id), settled }
}
