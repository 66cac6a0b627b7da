import type { MedusaContainer } from "@medusajs/framework/types"

import { MPESA_MODULE } from "../../modules/mpesa"
import type MpesaModuleService from "../../modules/mpesa/service"
import type { AttemptState } from "../../payment/attempt"

/** A ledger row as the workflows read it. */
export type Attempt = {
  id: string
  gateway: "lipia" | "lipwa"
  provider_id: string | null
  session_id: string | null
  payment_collection_id: string | null
  cart_id: string | null
  order_id: string | null
  reference: string | null
  callback_reference: string | null
  checkout_id: string | null
  phone_masked: string
  phone_hash: string
  amount_requested: number | null
  amount_paid: number | null
  state: AttemptState
  outcome: string | null
  result_code: number | null
  message: string | null
  receipt: string | null
  amount_mismatch: boolean
  paid_without_order: boolean
  late_success: boolean
  refund_refused: boolean
  checks_abandoned: boolean
  check_failures: number
  next_check_at: Date | null
  checked_at: Date | null
  pushed_at: Date
  callback_at: Date | null
  settled_at: Date | null
  resolved_at: Date | null
  resolved_by: string | null
  resolution_note: string | null
}

export function ledgerOf(container: MedusaContainer): MpesaModuleService {
  return container.resolve<MpesaModuleService>(MPESA_MODULE)
}

export async function retrieveAttempt(container: MedusaContainer, id: string): Promise<Attempt> {
  return (await ledgerOf(container).retrieveMpesaAttempt(id)) as unknown as Attempt
}

/** The attempt a signed callback URL or a storefront poll names (its payment session id). */
export async function attemptOfSession(container: MedusaContainer, sessionId: string, gateway?: string): Promise<Attempt | undefined> {
  const [attempt] = await ledgerOf(container).listMpesaAttempts(
    { session_id: sessionId, ...(gateway ? { gateway: gateway as Attempt["gateway"] } : {}) },
    { take: 1, order: { pushed_at: "DESC" } }
  )
  return attempt as unknown as Attempt | undefined
}
