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

/**
 * A backlog (many callbacks lost at once, e.g. while the store was unreachable) is drained by
 * one scheduled run taking batch after batch, for at most this long, instead of one batch per
 * 5 s tick (a tick that finds the lock taken is skipped).
 */
export const DRAIN_BUDGET_MS = 60_000

/**
 * Recovery runs one after another while each found a full batch of attempts due a check (more
 * may be waiting) and the budget lasts. Returns the runs' reports added up; undefined when the
 * first run was skipped (another process holds the lock).
 */
export async function drainRecovery(container: MedusaContainer, budgetMs = DRAIN_BUDGET_MS): Promise<RecoveryReport | undefined> {
  const { recoveryBatchSize } = pluginOptions(container)
  const started = Date.now()
  let total: RecoveryReport | undefined
  for (;;) {
    const report = await recoverMpesaPayments(container)
    if (!report) {
      return total
    }
    total = total ? addReports(total, report) : report
    if (report.checked < recoveryBatchSize || Date.now() - started >= budgetMs) {
      return total
    }
  }
}

function addReports(a: RecoveryReport, b: RecoveryReport): RecoveryReport {
  return Object.fromEntries(Object.entries(a).map(([key, value]) => [key, value + b[key as keyof RecoveryReport]])) as RecoveryReport
}

/** The scheduled run (every 5 s, in the worker; each attempt is asked about on its own schedule), unless `scheduledRecovery: false`. */
export default async function scheduledRecovery(container: MedusaContainer): Promise<RecoveryReport | undefined> {
  if (!pluginOptions(container).scheduledRecovery) {
    return undefined
  }
  return drainRecovery(container)
}

export const config = {
  name: "mpesa-recover-payments",
  schedule: { interval: 5_000 },
}
