import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

import { ATTEMPT_STATES } from "../../../payment/attempt"
import { ATTENTION_FLAGS } from "../../../payment/attention"
import type { AttemptQuery } from "../../../workflows/steps/list-attempts"

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

/** Parses an admin list query; a bad one is a 400 that names the parameter. */
export function parseAttemptQuery(query: unknown, defaults: Partial<AttemptQuery> = {}): AttemptQuery {
  const parsed = AttemptQuerySchema.safeParse({ ...defaults, ...(query as object) })
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ")
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid M-Pesa attempts query — ${problems}`)
  }
  return parsed.data
}

export const ResolveSchema = z.object({ note: z.string().trim().min(3, "say in a few words how it was settled").max(1000) }).strict()
