import { z } from "zod"

/**
 * Building blocks shared by both gateways' payload schemas. The aggregators document types
 * loosely (Lipwa's status `amount` is a string, its callback's a number; result codes are
 * numbers in one place and strings in another), so numbers are accepted in either form —
 * but never from an empty or non-numeric string.
 */
export const numberish = z.union([
  z.number().finite(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, "expected a number")
    .transform(Number),
])

/** Phone numbers arrive as strings or as JSON numbers (Lipwa's transactions list). */
export const phoneish = z.union([z.string(), z.number().int()]).transform(String)

export const optionalText = z.string().nullish().transform((value) => value || undefined)
