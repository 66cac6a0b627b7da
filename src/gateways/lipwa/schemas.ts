import { z } from "zod"

import { numberish, optionalText, phoneish } from "../schemas"

/**
 * Lipwa payloads, written from reference/lipwa-api.txt. Lipwa documents no error body, so
 * errors are read generically (see `LipwaClient`).
 */

/** `POST /api/payments` → 201. `ResponseCode` is a string there ("0"). */
export const lipwaStkPushResponse = z.object({
  MerchantRequestID: optionalText,
  CheckoutRequestID: z.string().min(1),
  ResponseCode: numberish,
  ResponseDescription: z.string().optional().default(""),
  CustomerMessage: optionalText,
})
export type LipwaStkPushResponse = z.infer<typeof lipwaStkPushResponse>

export const lipwaStatusWord = z.enum(["payment.queued", "payment.success", "payment.failed"])
export type LipwaStatusWord = z.infer<typeof lipwaStatusWord>

/** `GET /api/status?ref=` — note `amount` is a string here ("5"). */
export const lipwaStatusResponse = z.object({
  status: lipwaStatusWord,
  pay_reference: optionalText,
  transaction_date: optionalText,
  amount: numberish.nullish(),
  receipt: optionalText,
  api_ref: z.unknown().optional(),
})
export type LipwaStatusResponse = z.infer<typeof lipwaStatusResponse>

/** Callback POSTed to `callback_url`; only the two final statuses are ever sent. */
export const lipwaCallback = z.object({
  status: z.enum(["payment.success", "payment.failed"]),
  transaction_id: optionalText,
  checkout_id: z.string().min(1),
  amount: numberish,
  phone_number: phoneish.nullish(),
  mpesa_code: optionalText,
  api_ref: z.unknown().optional(),
  payment_date: optionalText,
})
export type LipwaCallback = z.infer<typeof lipwaCallback>

/** `GET /api/transactions?limit=` — `phone` is a JSON number there. */
export const lipwaTransactions = z.object({
  transactions: z.array(
    z.object({
      transaction_id: z.string(),
      description: optionalText,
      amount: numberish,
      transaction_type: z.string(),
      phone: phoneish.nullish(),
      reference: z.string(),
      receipt_number: z.string(),
      payment_date: optionalText,
    })
  ),
})

/** Lipwa's error bodies are undocumented; a `message` (or `error`) string is used when present. */
export const lipwaErrorBody = z.looseObject({
  message: z.string().optional(),
  error: z.unknown().optional(),
})
