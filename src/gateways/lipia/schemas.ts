import { z } from "zod"

import { numberish, optionalText, phoneish } from "../schemas"

/**
 * Lipia Online v2 payloads, written from reference/lipia-stk-push.txt and
 * reference/lipia-status-and-callbacks.md. Unknown extra fields are tolerated; the fields we
 * act on are checked.
 */

/** `{ success: false, status: "error", message, customerMessage, error: { code, ...debug }, timestamp }` */
export const lipiaErrorEnvelope = z.object({
  success: z.literal(false),
  status: z.string().optional(),
  message: z.string(),
  customerMessage: z.string().optional(),
  error: z
    .looseObject({
      code: z.string(),
      field: z.string().optional(),
      location: z.string().optional(),
      expected: z.string().optional(),
    })
    .optional(),
  timestamp: z.string().optional(),
})
export type LipiaErrorEnvelope = z.infer<typeof lipiaErrorEnvelope>

/** `{ success: true, status: "success", message, customerMessage, data, timestamp }` */
export function lipiaSuccessEnvelope<T extends z.ZodTypeAny>(data: T) {
  return z.object({
    success: z.literal(true),
    status: z.string().optional(),
    message: z.string().optional(),
    customerMessage: z.string().optional(),
    data,
    timestamp: z.string().optional(),
  })
}

export const lipiaStkPushData = z.object({
  TransactionReference: z.string().min(1),
  ResponseCode: numberish,
  ResponseDescription: z.string().optional().default(""),
})
export type LipiaStkPushData = z.infer<typeof lipiaStkPushData>

/**
 * Status API strings are upper case (`PENDING`, `SUCCESS`, `FAILED`), callback strings title
 * case (`Success`, `Failed`); both are matched case-insensitively.
 */
const lipiaStatusWord = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.enum(["PENDING", "SUCCESS", "FAILED"]))

const externalReference = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined || value === "" ? undefined : String(value)))

export const lipiaStatusResponse = z.object({
  Status: lipiaStatusWord,
  Amount: numberish.optional(),
  MpesaReceiptNumber: optionalText,
  ResultCode: numberish.nullish(),
  ResultDesc: optionalText,
  ExternalReference: externalReference,
  MerchantRequestID: optionalText,
  Phone: phoneish.nullish(),
  Metadata: z.unknown().optional(),
  TransactionDate: optionalText,
})

export const lipiaStatusData = z.object({
  response: lipiaStatusResponse,
  /** True only when paid. */
  status: z.boolean(),
})
export type LipiaStatusData = z.infer<typeof lipiaStatusData>

export const lipiaCallback = z.object({
  response: z.object({
    Amount: numberish,
    ExternalReference: externalReference,
    MerchantRequestID: optionalText,
    CheckoutRequestID: optionalText,
    MpesaReceiptNumber: optionalText,
    Phone: phoneish.nullish(),
    ResultCode: numberish,
    ResultDesc: optionalText,
    Metadata: z.unknown().optional(),
    Status: lipiaStatusWord,
  }),
  status: z.boolean(),
})
export type LipiaCallback = z.infer<typeof lipiaCallback>
