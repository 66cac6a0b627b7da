import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

import { DEFAULT_MAX_AMOUNT } from "../lib/amount"
import type { GatewayName } from "../gateways/gateway"
import { LIPIA_REQUESTS_PER_SECOND } from "../gateways/lipia/client"
import { LIPWA_REQUESTS_PER_SECOND } from "../gateways/lipwa/client"

/**
 * The options a merchant sets for an M-Pesa provider in `medusa-config.ts`: typed from the
 * schema that checks them at boot (below), described once in `optionSpecs`.
 */
export type MpesaProviderOptions = z.infer<ReturnType<typeof schema>>

type OptionSpec = { type: "string" | "number" | "boolean"; required: boolean; default?: unknown; description: string }

/**
 * Every option, as documented to merchants (README) and listed in medusa-plugin.json.
 * A test keeps the three in step.
 */
export function optionSpecs(gateway: GatewayName): Record<string, OptionSpec> {
  return {
    apiKey: { type: "string", required: true, description: "The aggregator API key." },
    ...(gateway === "lipwa"
      ? { channelId: { type: "string" as const, required: true, description: "The Lipwa channel that receives the money." } }
      : {}),
    callbackBaseUrl: {
      type: "string",
      required: true,
      description: "The store's public backend URL; callbacks go to {callbackBaseUrl}/hooks/mpesa/" + gateway + ".",
    },
    callbackSecret: {
      type: "string",
      required: true,
      description: "Secret (at least 32 characters) that signs per-session callback URLs.",
    },
    baseUrl: { type: "string", required: false, description: "The aggregator's base URL (the sandbox's for development)." },
    timeoutMs: { type: "number", required: false, default: 15000, description: "Per-request timeout towards the aggregator, in ms." },
    amountRounding: {
      type: "string",
      required: false,
      default: "ceil",
      description: "Fractional KES totals: \"ceil\" rounds up to the next shilling, \"reject\" refuses them.",
    },
    maxAmount: { type: "number", required: false, default: DEFAULT_MAX_AMOUNT, description: "Largest amount accepted, in KES." },
    manualRefunds: {
      type: "boolean",
      required: false,
      default: false,
      description: "Record refunds done by hand in the M-Pesa portal instead of refusing them.",
    },
    requestsPerSecond: {
      type: "number",
      required: false,
      default: gateway === "lipwa" ? LIPWA_REQUESTS_PER_SECOND : LIPIA_REQUESTS_PER_SECOND,
      description:
        gateway === "lipwa"
          ? "Requests per second towards Lipwa, per API key: Lipwa's documented limit is 10, so only a lower value is taken."
          : "Requests per second towards Lipia, per API key (Lipia documents no limit; the plugin paces itself). Each prompt costs two.",
    },
    redisUrl: {
      type: "string",
      required: false,
      description:
        gateway === "lipwa"
          ? "The store's Redis (redis://…): every server and worker process shares one Lipwa request budget (10/s per API key)."
          : "The store's Redis (redis://…): every server and worker process shares one Lipia request budget (requestsPerSecond per API key).",
    },
  }
}

const text = (name: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `option "${name}" is required` : `option "${name}" must be a string`) })
    .trim()
    .min(1, `option "${name}" is required`)

const httpUrl = (name: string) =>
  text(name).refine((value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol)
    } catch {
      return false
    }
  }, `option "${name}" must be an http(s) URL`)

function schema(gateway: GatewayName) {
  return z.object({
    apiKey: text("apiKey"),
    channelId: gateway === "lipwa" ? text("channelId") : z.string().optional(),
    callbackBaseUrl: httpUrl("callbackBaseUrl"),
    callbackSecret: text("callbackSecret").min(32, `option "callbackSecret" must be at least 32 characters`),
    baseUrl: httpUrl("baseUrl").optional(),
    timeoutMs: z
      .number({ error: `option "timeoutMs" must be a number of milliseconds` })
      .int(`option "timeoutMs" must be a whole number of milliseconds`)
      .min(1000, `option "timeoutMs" must be at least 1000 ms`)
      .optional(),
    amountRounding: z
      .enum(["ceil", "reject"], { error: `option "amountRounding" must be "ceil" or "reject"` })
      .optional(),
    maxAmount: z
      .number({ error: `option "maxAmount" must be a number of shillings` })
      .int(`option "maxAmount" must be a whole number of shillings`)
      .positive(`option "maxAmount" must be positive`)
      .max(DEFAULT_MAX_AMOUNT, `option "maxAmount" cannot exceed M-Pesa's ceiling of KES ${DEFAULT_MAX_AMOUNT}`)
      .optional(),
    manualRefunds: z.boolean({ error: `option "manualRefunds" must be true or false` }).optional(),
    requestsPerSecond: z
      .number({ error: `option "requestsPerSecond" must be a number` })
      .int(`option "requestsPerSecond" must be a whole number`)
      .min(2, `option "requestsPerSecond" must be at least 2`)
      .max(gateway === "lipwa" ? 10 : 200, gateway === "lipwa" ? `option "requestsPerSecond" cannot exceed Lipwa's documented 10 per second` : `option "requestsPerSecond" cannot exceed 200`)
      .optional(),
    redisUrl: text("redisUrl")
      .refine((value) => /^rediss?:\/\//.test(value), `option "redisUrl" must be a redis:// or rediss:// URL`)
      .optional(),
  })
}

/**
 * Checks a provider's options at boot (`static validateOptions`): a store with a missing key,
 * channel or secret must not start and take orders it cannot collect. The message names the
 * provider and the option, and never echoes a value.
 */
export function validateMpesaOptions(gateway: GatewayName, options: unknown): MpesaProviderOptions {
  const parsed = schema(gateway).safeParse(options ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ")
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `medusa-plugin-mpesa: the mpesa-${gateway} provider is misconfigured: ${problems}. See the README's configuration table.`
    )
  }
  return parsed.data
}
