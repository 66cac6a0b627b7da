import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentSessionStatus } from "@medusajs/framework/utils"

import { MPESA_MODULE } from "../modules/mpesa"
import type MpesaModuleService from "../modules/mpesa/service"
import type { MpesaPaymentVerified } from "./events"

type Outcome = { order_id?: string; paid_without_order: boolean }

const CLOSED = ["expired", "superseded", "failed"]

/**
 * Records a confirmed outcome on the attempt's ledger row. The receipt is unique across the
 * ledger: a receipt already recorded on another attempt is refused by the database and
 * reported, never counted twice.
 */
export async function recordOutcome(container: MedusaContainer, verified: MpesaPaymentVerified, outcome: Outcome): Promise<void> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ledger = container.resolve<MpesaModuleService>(MPESA_MODULE)
  const reference = String(verified.data.reference ?? "")
  const [attempt] = await ledger.listMpesaAttempts({ session_id: verified.session_id, reference })
  if (!attempt) {
    logger.warn(`M-Pesa ledger: no attempt recorded for ${verified.session_id} (${reference}); outcome ${verified.status} not recorded`)
    return
  }
  const data = verified.data
  const paid = verified.status === PaymentSessionStatus.CAPTURED || verified.status === PaymentSessionStatus.REQUIRES_MORE
  const receipt = typeof data.receipt === "string" ? data.receipt : null
  try {
    await ledger.updateMpesaAttempts({
      id: attempt.id,
      state: paid ? "paid" : data.state === "expired" ? "expired" : "failed",
      result_code: typeof data.result_code === "number" ? data.result_code : null,
      message: typeof data.message === "string" ? data.message : null,
      ...(paid
        ? {
            receipt,
            amount_paid: typeof data.amount_paid === "number" ? data.amount_paid : null,
            amount_mismatch: verified.status === PaymentSessionStatus.REQUIRES_MORE,
            late_success: CLOSED.includes(attempt.state),
            paid_without_order: verified.status === PaymentSessionStatus.CAPTURED && outcome.paid_without_order,
            order_id: outcome.order_id ?? null,
            settled_at: new Date(),
          }
        : { settled_at: new Date() }),
    })
  } catch (error) {
    logger.error(
      `M-Pesa ledger: could not record receipt ${receipt ?? "-"} on attempt ${attempt.id}; it may already be recorded on another attempt (never counted twice): ${(error as Error).message}`
    )
  }
}
