import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf } from "../modules/mpesa/ledger"
import { pluginOptions } from "../payment/plugin-options"

const DAY_MS = 24 * 60 * 60_000

/**
 * Deletes callbacks older than `callbackLogDays` from the callback log. One statement, safe to
 * run on several processes at once (a row is deleted once; the others find nothing). Returns
 * how many went.
 */
export async function pruneMpesaCallbacks(container: MedusaContainer, now = Date.now()): Promise<number> {
  const { callbackLogDays } = pluginOptions(container)
  const pruned = await ledgerOf(container).pruneCallbacks(new Date(now - callbackLogDays * DAY_MS))
  if (pruned) {
    container.resolve(ContainerRegistrationKeys.LOGGER).info(`M-Pesa: ${pruned} callback(s) older than ${callbackLogDays} days left the callback log.`)
  }
  return pruned
}

export default pruneMpesaCallbacks

export const config = {
  name: "mpesa-prune-callback-log",
  // Hourly, off the hour.
  schedule: "17 * * * *",
}
