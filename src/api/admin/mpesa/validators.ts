import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

import { ATTEMPT_STATES } from "../../../payment/attempt"
import { ATTENTION_FLAGS } from "../../../payment/attention"
import { MIN_NOTE_LENGTH, RECEIPT_PATTERN } from "../../../payment/recorded-payment"
import { addDays, DEFAULT_PERIOD_DAYS, daysInPeriod, isCalendarDay, MAX_PERIOD_DAYS, nairobiDay } from "../../../payment/prompt-outcome"
import type { AttemptQuery } from "../../../workflows/queries/list-attempts"
import type { PromptOutcomesQuery } from "../../../workflows/queries/prompt-outcomes"
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

/** `GET /admin/mpesa/unmatched-payments`: one provider's list of the account's transactions (Lipwa). */
export const UnmatchedPaymentsQuerySchema = z.object({ provider_id: providerId }).strict()

/** `GET /admin/mpesa/owing-orders`: no parameters (its window is fixed: workflows/queries/owing-orders.ts). */
export const OwingOrdersQuerySchema = z.object({}).strict()

/** `POST /admin/mpesa/attempts/:id/accept`: how the merchant checked the claim (e.g. "seen in the Lipia portal"). */
export const AcceptClaimSchema = z.object({ note: z.string().trim().min(3, "say in a few words how you checked the payment").max(1000) }).strict()

export const ResolveSchema = z.object({ note: z.string().trim().min(3, "say in a few words how it was settled").max(1000) }).strict()

/**
 * `POST /admin/mpesa/orders/:id/record-payment`. The receipt as the customer's M-Pesa message
 * prints it (typed in any case, with stray spaces); amount and note are required by the gateways
 * that cannot look a receipt up — the workflow says so, since only the provider knows.
 */
export const RecordPaymentSchema = z
  .object({
    provider_id: providerId,
    receipt: z
      .string()
      .trim()
      .toUpperCase()
      .regex(RECEIPT_PATTERN, "must be an M-Pesa receipt: 10 letters and digits, as on the customer's M-Pesa message (e.g. THK75EOH2Z)"),
    amount: z.number().int("must be whole shillings").positive("must be more than 0").optional(),
    note: z.string().trim().min(MIN_NOTE_LENGTH, "say in a few words how you checked the payment").max(1000).optional(),
  })
  .strict()

const nairobiCalendarDay = z.string().refine(isCalendarDay, "must be a day in Nairobi time, written YYYY-MM-DD, e.g. 2026-12-01")

/**
 * The period of "How prompts end": Nairobi calendar days, both included; by default the last
 * 14 days up to today. Days, not instants, because the chart counts per Nairobi day.
 */
export const PromptOutcomesQuerySchema = z
  .object({
    from: nairobiCalendarDay.optional(),
    to: nairobiCalendarDay.optional(),
    gateway: z.enum(["lipia", "lipwa"]).optional(),
  })
  .strict()
  .transform((q): PromptOutcomesQuery => {
    const to = q.to ?? nairobiDay(new Date())
    return { ...q, to, from: q.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS) }
  })
  .superRefine((q, ctx) => {
    const days = daysInPeriod(q.from, q.to)
    if (days === 0) {
      ctx.addIssue({ code: "custom", path: ["from"], message: `must not be after to (${q.to}); swap them, or leave to out for today` })
    } else if (days > MAX_PERIOD_DAYS) {
      ctx.addIssue({ code: "custom", path: ["from"], message: `the period from ${q.from} to ${q.to} is ${days} days; ask for at most ${MAX_PERIOD_DAYS}` })
    }
  })

export const RequestPaymentSchema = z
  .object({
    provider_id: providerId,
    /** Any spelling the phone rules accept (0712…, 254712…, +254712…); the order's own number when left out. */
    phone: z.string().trim().min(1).max(20).optional(),
    /** The amount the merchant saw on the button: when the order now owes another, nothing is sent (409 MPESA_AMOUNT_CHANGED). */
    expected_amount: z.number().positive("must be more than 0").optional(),
  })
  .strict()

export const CallbackQuerySchema = z
  .object({
    gateway: z.enum(["lipia", "lipwa"]).optional(),
    /** `false`: only the callbacks that matched no attempt (forged, misdirected, for a payment this store never started). */
    matched: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    attempt_id: z.string().trim().min(1).max(100).optional(),
    from: date.optional(),
    to: date.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
