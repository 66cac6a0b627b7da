import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

import { ATTEMPT_STATES } from "../../../payment/attempt"
import { ATTENTION_FLAGS } from "../../../payment/attention"
import type { AttemptQuery } from "../../../workflows/queries/list-attempts"
import { isMpesaProviderId } from "../../../providers/registry"

const date = z.coerce.date({ message: "must be a date, e.g. 2026-11-28 or 2026-11-28T10:00:00Z" })

export const AttemptQuerySchema = z
  .object({
    gateway: z.enum(["lipia", "lipwa"]).optional(),
    state: z
      .union([z.enum(ATTEMPT_STATES), z.array(z.enum(ATTEMPT_STATES))])
      .transform((s) => (Array.isArray(s) ? s : [s]))
      .optional(),
    flag: z.enum([...ATTENTION_FLAGS, "needs_attention"]).optional(),
    from: date.optional(),
    to: date.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()

/** Parses a request part with `schema`; a bad one is a 400 that names each wrong parameter. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value ?? {})
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "request"}: ${issue.message}`).join("; ")
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid ${what} — ${problems}`)
  }
  return parsed.data
}

/** An admin list query of the ledger. */
export function parseAttemptQuery(query: unknown): AttemptQuery {
  return parseOr400(AttemptQuerySchema, query, "M-Pesa attempts query")
}

const providerId = z.string().refine(isMpesaProviderId, "must be an M-Pesa provider id (pp_mpesa-…)")

export const TestCallbackSchema = z.object({ provider_id: providerId }).strict()

export const ReconcileQuerySchema = z
  .object({
    provider_id: providerId,
    from: z.coerce.date({ message: "must be a date" }).optional(),
    to: z.coerce.date({ message: "must be a date" }).optional(),
  })
  .strict()

export const ResolveSchema = z.object({ note: z.string().trim().min(3, "say in a few words how it was settled").max(1000) }).strict()
