/**
 * Lipia Online v2 bodies, field for field as documented in reference/lipia-stk-push.txt
 * and reference/lipia-status-and-callbacks.md.
 */
import type { SandboxPayment } from "./types"
import { PENDING_DESC } from "./outcomes"

export interface LipiaErrorDetail {
  code: string
  [debug: string]: unknown
}

/** `{ success: true, status: "success", message, customerMessage, data, timestamp }` */
export function lipiaSuccess(message: string, data: unknown) {
  return {
    success: true,
    status: "success",
    message,
    customerMessage: message,
    data,
    timestamp: new Date().toISOString(),
  }
}

/** `{ success: false, status: "error", message, customerMessage, error: { code, ...debug }, timestamp }` */
export function lipiaError(message: string, customerMessage: string, error: LipiaErrorDetail) {
  return {
    success: false,
    status: "error",
    message,
    customerMessage,
    error,
    timestamp: new Date().toISOString(),
  }
}

export function lipiaValidationError(field: string, location: "body" | "query", value: unknown, expected: string) {
  return lipiaError("Validation failed", "Please check your input and try again", {
    code: "VALIDATION_ERROR",
    field,
    location,
    // Sandbox choice: a missing value is reported as null rather than dropped, so the key is always there.
    value: value === undefined ? null : value,
    expected,
  })
}

export function lipiaStkPushData(p: SandboxPayment) {
  return {
    TransactionReference: p.ref,
    ResponseCode: 0,
    ResponseDescription: "Success. Request accepted for processing",
  }
}

/**
 * `data` of `GET /payments/status`. Status is UPPER case here but Title case in callbacks
 * (reference/lipia-status-and-callbacks.md, §2 and §3).
 */
export function lipiaStatusData(p: SandboxPayment) {
  const paid = p.status === "success"
  return {
    response: {
      Status: p.status === "pending" ? "PENDING" : paid ? "SUCCESS" : "FAILED",
      Amount: paid ? (p.amountPaid ?? p.amount) : p.amount,
      MpesaReceiptNumber: p.receipt ?? "",
      ResultCode: p.resultCode ?? 0,
      ResultDesc: p.resultDesc ?? PENDING_DESC,
      ExternalReference: externalReference(p),
      MerchantRequestID: p.merchantRequestId,
      Phone: p.phone,
      Metadata: p.metadata,
      // Sandbox choice: the push time while pending, the settlement time afterwards (M-Pesa's TransactionDate is when money moved).
      TransactionDate: p.settledAt ?? p.createdAt,
    },
    status: paid,
  }
}

/** The callback body (reference/lipia-status-and-callbacks.md §3). */
export function lipiaCallbackBody(p: SandboxPayment) {
  const paid = p.status === "success"
  return {
    response: {
      Amount: paid ? (p.amountPaid ?? p.amount) : p.amount,
      ExternalReference: externalReference(p),
      MerchantRequestID: p.merchantRequestId,
      CheckoutRequestID: p.checkoutRequestId,
      MpesaReceiptNumber: p.receipt ?? "",
      Phone: p.phone,
      ResultCode: p.resultCode ?? 0,
      ResultDesc: p.resultDesc ?? "",
      Metadata: p.metadata,
      Status: paid ? "Success" : "Failed",
    },
    status: paid,
  }
}

/**
 * Documented as a string echo of external_reference. Sandbox choice: a number is sent back as
 * its string, and an absent reference as "".
 */
function externalReference(p: SandboxPayment): string {
  const ref = p.externalReference
  return typeof ref === "string" || typeof ref === "number" ? String(ref) : ""
}
