import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import type { GatewayName } from "../gateways/gateway"
import { STATE } from "../payment/attempt"
import { isMpesaSessionData } from "../providers/session-data"
import { cartAndOrderOfCollection } from "./queries/find-order"
import { attemptOfSession, ledgerOf, type Attempt } from "../modules/mpesa/ledger"
import { isMpesaProviderId } from "../providers/registry"

/**
 * Records an M-Pesa session that was created without the plugin's payment-session route (a
 * store's own code calling `createPaymentSessionsWorkflow` or `updatePaymentSession`), the
 * first time its callback or poll arrives: no payment with a live session is ever refused for
 * not being in the ledger. The phone is known only masked, so such a row has no phone hash
 * and does not count towards the per-phone limit.
 */
const adoptSessionStep = createStep(
  "mpesa-adopt-session",
  async (input: { session_id: string; gateway?: GatewayName }, { container }) => {
    const session = await container
      .resolve<IPaymentModuleService>(Modules.PAYMENT)
      .retrievePaymentSession(input.session_id, { select: ["id", "provider_id", "payment_collection_id", "data"] })
      .catch(() => undefined)
    const data = session?.data
    if (!session || !isMpesaProviderId(session.provider_id) || !isMpesaSessionData(data) || (input.gateway && data.gateway !== input.gateway)) {
      return new StepResponse<Attempt | null, string | null>(null, null)
    }
    // The store route is recording this very push (its row is still `pushing`): it will have
    // the references in a moment, and the job checks it then. Adopting now would record it twice.
    const recording = await ledgerOf(container).listMpesaAttempts(
      { payment_collection_id: session.payment_collection_id, state: STATE.pushing, session_id: null },
      { take: 1 }
    )
    if (recording.length) {
      return new StepResponse<Attempt | null, string | null>(null, null)
    }
    const { cart_id } = await cartAndOrderOfCollection(container, session.payment_collection_id)
    // What session data says of the outcome is not copied: the status API decides, at the
    // next check (due at once), whatever the data claims.
    try {
      const [created] = await ledgerOf(container).createMpesaAttempts([
        {
          gateway: data.gateway,
          provider_id: session.provider_id,
          session_id: session.id,
          payment_collection_id: session.payment_collection_id,
          cart_id: cart_id ?? null,
          reference: data.reference,
          callback_reference: data.callback_reference,
          checkout_id: data.checkout_id ?? null,
          phone_masked: data.phone,
          phone_hash: "",
          amount_requested: data.amount_requested,
          state: STATE.pending,
          message: data.message,
          pushed_at: new Date(data.pushed_at),
          next_check_at: new Date(),
        },
      ])
      return new StepResponse<Attempt | null, string | null>(created, created.id)
    } catch {
      // Recorded meanwhile by a concurrent request (unique gateway + reference).
      return new StepResponse<Attempt | null, string | null>((await attemptOfSession(container, session.id)) ?? null, null)
    }
  },
  async (id, { container }) => {
    if (id) {
      await ledgerOf(container).deleteMpesaAttempts(id)
    }
  }
)

export const adoptMpesaSessionWorkflowId = "adopt-mpesa-session"

export const adoptMpesaSessionWorkflow = createWorkflow(adoptMpesaSessionWorkflowId, (input: { session_id: string; gateway?: GatewayName }) => {
  return new WorkflowResponse(adoptSessionStep(input))
})

/** The attempt for a payment session id: from the ledger, or adopted from a live session. */
export async function attemptForSession(container: MedusaContainer, sessionId: string, gateway?: GatewayName): Promise<Attempt | undefined> {
  const known = await attemptOfSession(container, sessionId, gateway)
  if (known) {
    return known
  }
  const { result } = await adoptMpesaSessionWorkflow(container).run({ input: { session_id: sessionId, gateway } })
  return result ?? undefined
}
