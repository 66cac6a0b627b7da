import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"

import { guardNewPushStep, preparePushStep, recordPushStep, sendPushStep, settlePushStep, type StartInput } from "./steps/start-payment"

export const startMpesaPaymentWorkflowId = "start-mpesa-payment"

export type StartMpesaPaymentInput = StartInput & { owner_id: string }

/**
 * Starts an M-Pesa payment for a payment collection: what the storefront's
 * `initiatePaymentSession` does for any provider, with the ledger and the one-prompt rule
 * around it. Under Medusa's Locking module (one key for the cart's collection, one for the
 * phone — Redis-backed in production, so across every server): refuse if a prompt is live or
 * the cart is already paid, or the phone had too many prompts; write the attempt; let Medusa
 * create the session (the provider pushes); record the references. The row exists before the
 * push leaves, and is complete before the shopper is answered.
 */
export const startMpesaPaymentWorkflow = createWorkflow(startMpesaPaymentWorkflowId, (input: StartMpesaPaymentInput) => {
  const prepared = preparePushStep(input)
  // Flat conditions: Medusa's `when` blocks cannot be nested.
  const ready = transform({ prepared }, ({ prepared }) => (prepared.refused ? null : prepared))
  const keys = transform({ ready }, ({ ready }) => ready?.lock_keys ?? [])
  when("mpesa-lock", { ready }, ({ ready }) => !!ready).then(() => {
    // Taken also when the desk runs this workflow as a step of its own (request-mpesa-payment):
    // acquireLockStep skips a sub-workflow's lock unless told, and the phone's key matters there too.
    acquireLockStep({ key: keys, timeout: 15, ttl: 60, ownerId: input.owner_id, executeOnSubWorkflow: true })
  })
  const refused = when("mpesa-guard", { ready }, ({ ready }) => !!ready).then(() =>
    guardNewPushStep(transform({ input, ready }, ({ input, ready }) => ({ payment_collection_id: input.payment_collection_id, phone_hash: ready!.phone_hash })))
  )
  const go = transform({ ready, refused }, ({ ready, refused }) => !!ready && !refused)
  const attempt = when("mpesa-record", { go }, ({ go }) => go).then(() =>
    recordPushStep(
      transform({ input, ready }, ({ input, ready }) => ({
        gateway: ready!.gateway,
        provider_id: input.provider_id,
        payment_collection_id: input.payment_collection_id,
        cart_id: ready!.cart_id,
        phone_hash: ready!.phone_hash,
        phone_masked: ready!.phone_masked,
        origin: input.origin ?? "checkout",
        requested_by: input.requested_by ?? null,
      }))
    )
  )
  const pushed = when("mpesa-push", { go }, ({ go }) => go).then(() =>
    sendPushStep(
      transform({ input, ready, attempt }, ({ input, ready, attempt }) => ({
        payment_collection_id: input.payment_collection_id,
        provider_id: input.provider_id,
        attempt_id: attempt!.id,
        msisdn: ready!.msisdn,
      }))
    )
  )
  when("mpesa-settle", { go }, ({ go }) => go).then(() => {
    settlePushStep(transform({ attempt, pushed }, ({ attempt, pushed }) => ({ attempt_id: attempt!.id, pushed: pushed!, attempt: attempt! })))
  })
  when("mpesa-unlock", { ready }, ({ ready }) => !!ready).then(() => {
    releaseLockStep({ key: keys, ownerId: input.owner_id, executeOnSubWorkflow: true })
  })
  return new WorkflowResponse(
    transform({ prepared, refused, pushed }, ({ prepared, refused, pushed }) => ({
      refused: prepared.refused ?? refused ?? undefined,
      pushed: pushed ?? undefined,
    }))
  )
})
