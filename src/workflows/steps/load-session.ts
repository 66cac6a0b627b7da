import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type LiveSession = { id: string; status: string; data: Record<string, unknown> } | null

/** The attempt's payment session, or null when Medusa deleted it (replaced, cart changed). */
export const loadSessionStep = createStep("mpesa-load-session", async (input: { session_id: string | null }, { container }) => {
  if (!input.session_id) {
    return new StepResponse<LiveSession>(null)
  }
  const session = await container
    .resolve<IPaymentModuleService>(Modules.PAYMENT)
    .retrievePaymentSession(input.session_id, { select: ["id", "status", "data"] })
    .catch(() => undefined)
  return new StepResponse<LiveSession>(session ? { id: session.id, status: session.status, data: session.data ?? {} } : null)
})
