import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf } from "../modules/mpesa/ledger"
import { pluginOptions } from "../payment/plugin-options"

const DAY_MS = 24 * 60 * 60_000

/**
 * Deletes callbacks older than `callbackLogDays` before `now` from the callback log. One
 * statement, safe to run on several processes at once (a row is deleted once; the others find
 * nothing). Returns how many went.
 */
export async function pruneMpesaCallbacks(container: MedusaContainer, now: Date): Promise<number> {
  const { callbackLogDays } = pluginOptions(container)
  const pruned = await ledgerOf(container).pruneCallbacks(new Date(now.getTime() - callbackLogDays * DAY_MS))
  if (pruned) {
    container.resolve(ContainerRegistrationKeys.LOGGER).info(`M-Pesa: ${pruned} callback(s) older than ${callbackLogDays} days left the callback log.`)
  }
  return pruned
}

/**
 * The scheduled run, as Medusa calls every job: `handler(container, { scheduledFor })`
 * (framework/dist/jobs/job-loader.js; the second argument is that object, never a time). The
 * run prunes up to the tick it was scheduled for, so a late run removes what was due then.
 */
export default async function scheduledCallbackPrune(container: MedusaContainer, context?: { scheduledFor?: Date }): Promise<number> {
  return pruneMpesaCallbacks(container, context?.scheduledFor ?? new Date())
}

export const config = {
  name: "mpesa-prune-callback-log",
  // Hourly, off the hour.
  schedule: "17 * * * *",
}
