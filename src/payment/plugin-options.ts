import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { z } from "zod"

/**
 * The plugin's own options (`plugins: [{ resolve: "medusa-plugin-mpesa", options }]`): timings
 * of the checks that recover payments whose callback never came. Read from the config module,
 * because Medusa 2.21 passes subscribers no plugin options (medusa-notes §6).
 */
/**
 * An STK prompt stays open on the phone for about a minute; after about two minutes without a
 * result a payment should be re-checked and then treated as expired
 * (reference/lipia-status-and-callbacks.md). Until then a push is "live". Providers (which
 * cannot read plugin options) use this default directly.
 */
export const PROMPT_LIFETIME_MS = 120_000

export const pluginOptionsSchema = z.object({
  /** A prompt is live (a second one for the same cart is refused, 409) until it is this old; then it expires. */
  promptLifetimeMs: z.number().int().positive().default(PROMPT_LIFETIME_MS),
  /** A pending payment the storefront polls is re-checked with the gateway once its prompt is this old. */
  statusRecheckAfterMs: z.number().int().positive().default(15_000),
  /** The recovery job first asks the status API about a prompt this long after it was sent… */
  recoveryCheckAfterMs: z.number().int().positive().default(20_000),
  /** …then again this often while it is pending (a silently paid prompt becomes an order within about this long). */
  recheckEveryMs: z.number().int().positive().default(15_000),
  /** An expired prompt is still asked about (every minute) for this long, so a late success is found. */
  lateSuccessGraceMs: z.number().int().positive().default(30 * 60_000),
  /** At most this many attempts are checked per recovery run. */
  recoveryBatchSize: z.number().int().positive().default(50),
  /** After this many failed status checks in a row an attempt is flagged `checks_abandoned` and left to the merchant. */
  maxCheckFailures: z.number().int().positive().default(8),
  /** At most this many prompts to one phone number… */
  phonePromptLimit: z.number().int().positive().default(3),
  /** …in this window, across all carts and processes (429 MPESA_TOO_MANY_PROMPTS). */
  phonePromptWindowMs: z.number().int().positive().default(5 * 60_000),
  /** Callbacks are kept in the callback log (admin: the attempt's timeline, the M-Pesa page) for this many days, then deleted. */
  callbackLogDays: z.number().int().positive().default(90),
  /** Run the recovery job (every 5 s, in the worker). Turn off only to drive it yourself. */
  scheduledRecovery: z.boolean().default(true),
})
export type MpesaPluginOptions = z.infer<typeof pluginOptionsSchema>

const PACKAGE = "medusa-plugin-mpesa"

export function pluginOptions(container: MedusaContainer): MpesaPluginOptions {
  const configModule = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as {
    plugins?: Array<string | { resolve: string; options?: Record<string, unknown> }>
  }
  const entry = (configModule.plugins ?? []).find((plugin) => {
    const resolve = typeof plugin === "string" ? plugin : plugin.resolve
    return resolve === PACKAGE || resolve.replace(/\/+$/, "").endsWith(`/${PACKAGE}`) || isThisPackage(resolve)
  })
  const options = typeof entry === "object" ? (entry.options ?? {}) : {}
  const parsed = pluginOptionsSchema.safeParse(options)
  if (!parsed.success) {
    throw new Error(`medusa-plugin-mpesa: invalid plugin options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`)
  }
  return parsed.data
}

// A plugin loaded by path (e.g. a local checkout) is recognised by its package.json name.
function isThisPackage(resolve: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${resolve.replace(/\/+$/, "")}/package.json`).name === PACKAGE
  } catch {
    return false
  }
}
