import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentSessionStatus } from "@medusajs/framework/utils"

import { pluginOptions } from "../lib/plugin-options"
import { isMpesaProviderId, reconcile, recheckSession } from "../lib/sessions"

export const EXPIRED_MESSAGE = "The payment request expired before it was completed. Start the payment again."

export type RecoveryReport = { checked: number; reconciled: number; expired: number; failedChecks: number }

/**
 * Recovers M-Pesa payments whose callback never came. Every pending M-Pesa session older than
 * `recoveryCheckAfterMs` (60 s) is asked about, on every run (each minute), with the gateway's status API — one at a time,
 * through the gateway client's shared rate limiter, so Lipwa never sees more than 10 requests
 * a second. Paid and failed ones go to the reconciler; one still pending after
 * `expireAfterMs` (5 min) is expired so the shopper can start again (a success that still
 * arrives later is reconciled by the callback route). Everything it needs is in the database,
 * so a restart loses nothing.
 */
export async function recoverMpesaPayments(container: MedusaContainer): Promise<RecoveryReport> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const options = pluginOptions(container)
  const now = Date.now()
  const { data } = await query.graph({
    entity: "payment_session",
    fields: ["id", "provider_id", "status", "amount", "currency_code", "data"],
    filters: { status: PaymentSessionStatus.PENDING },
  })
  const due = data.filter((session: { provider_id: string; data?: Record<string, unknown> | null }) => {
    if (!isMpesaProviderId(session.provider_id) || !session.data?.pushed_at) {
      return false
    }
    return now - Date.parse(String(session.data.pushed_at)) >= options.recoveryCheckAfterMs
  })

  const report: RecoveryReport = { checked: 0, reconciled: 0, expired: 0, failedChecks: 0 }
  for (const session of due) {
    report.checked += 1
    try {
      const verified = await recheckSession(container, session)
      if (await reconcile(container, verified)) {
        report.reconciled += 1
        continue
      }
      if (now - Date.parse(String(session.data.pushed_at)) >= options.expireAfterMs) {
        await reconcile(container, {
          ...verified,
          status: PaymentSessionStatus.ERROR,
          data: { ...verified.data, state: "expired", outcome: "expired", message: EXPIRED_MESSAGE },
        })
        report.expired += 1
      }
    } catch (error) {
      report.failedChecks += 1
      logger.warn(`M-Pesa recovery: could not check ${session.id}, will try again: ${(error as Error).message}`)
    }
  }
  if (report.checked) {
    logger.info(
      `M-Pesa recovery: checked ${report.checked}, reconciled ${report.reconciled}, expired ${report.expired}, failed checks ${report.failedChecks}`
    )
  }
  return report
}

/** The scheduled run (every minute, in the worker), unless `scheduledRecovery: false`. */
export default async function scheduledRecovery(container: MedusaContainer): Promise<RecoveryReport | undefined> {
  if (!pluginOptions(container).scheduledRecovery) {
    return undefined
  }
  return recoverMpesaPayments(container)
}

export const config = {
  name: "mpesa-recover-payments",
  schedule: "* * * * *",
}
