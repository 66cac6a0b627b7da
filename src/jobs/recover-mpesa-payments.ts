import { randomUUID } from "node:crypto"

import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

import { pluginOptions } from "../payment/plugin-options"
import { runRecovery, type RecoveryReport } from "../workflows/recover-mpesa-payments"

export const RECOVERY_LOCK = "mpesa:recovery"

/**
 * Recovers M-Pesa payments whose callback never came (see workflows/recover-mpesa-payments.ts).
 * One run at a time across every process: the run takes the recovery lock without waiting
 * (Medusa's Locking module, Redis-backed in production) and skips when another run holds it.
 * Returns undefined when skipped.
 */
export async function recoverMpesaPayments(container: MedusaContainer): Promise<RecoveryReport | undefined> {
  const locking = container.resolve(Modules.LOCKING)
  const ownerId = randomUUID()
  try {
    // Expires by itself if this process dies mid-run.
    await locking.acquire(RECOVERY_LOCK, { ownerId, expire: 300 })
  } catch {
    return undefined
  }
  try {
    return await runRecovery(container)
  } finally {
    await locking.release(RECOVERY_LOCK, { ownerId })
  }
}

/** The scheduled run (every 5 s, in the worker; each attempt is asked about on its own schedule), unless `scheduledRecovery: false`. */
export default async function scheduledRecovery(container: MedusaContainer): Promise<RecoveryReport | undefined> {
  if (!pluginOptions(container).scheduledRecovery) {
    return undefined
  }
  return recoverMpesaPayments(container)
}

export const config = {
  name: "mpesa-recover-payments",
  schedule: { interval: 5_000 },
}
