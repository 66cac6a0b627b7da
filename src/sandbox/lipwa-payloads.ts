/**
 * Lipwa bodies, field for field as documented in reference/lipwa-api.txt — including its
 * type quirks: ResponseCode is the string "0", the status API's amount is a string, the
 * transactions list's phone is a number.
 */
import { nairobiIso } from "./nairobi-time"
import type { SandboxPayment } from "./types"

export function lipwaStkPushResponse(p: SandboxPayment) {
  return {
    MerchantRequestID: p.merchantRequestId,
    CheckoutRequestID: p.checkoutRequestId,
    ResponseCode: "0",
    ResponseDescription: "Success. Request accepted for processing",
    CustomerMessage: "Success. Request accepted for processing",
  }
}

export function lipwaStatusResponse(p: SandboxPayment) {
  return {
    status: lipwaStatus(p),
    pay_reference: p.checkoutRequestId,
    // Sandbox choice: the push time while queued, the payment time once settled.
    transaction_date: nairobiIso(new Date(p.settledAt ?? p.createdAt)),
    amount: String(paidOrRequested(p)),
    receipt: p.receipt,
    api_ref: p.externalReference,
  }
}

/** One row of `GET /transactions` (successful payments only). */
export function lipwaTransaction(p: SandboxPayment) {
  const amount = paidOrRequested(p)
  return {
    transaction_id: `TR_${p.receipt}`,
    description: p.transactionType === "Debit" ? `Sent Kes ${amount} to ${p.phone}` : `Received Kes ${amount} from ${p.phone}`,
    amount,
    transaction_type: p.transactionType ?? "Credit",
    phone: Number(p.phone),
    reference: p.checkoutRequestId,
    receipt_number: p.receipt,
    payment_date: nairobiIso(new Date(p.settledAt ?? p.createdAt)),
  }
}

/** Callback bodies: "Successful Payment" / "Failed Payment" in reference/lipwa-api.txt. */
export function lipwaCallbackBody(p: SandboxPayment) {
  const paymentDate = nairobiIso(new Date(p.settledAt ?? p.createdAt))
  if (p.status === "success") {
    return {
      status: "payment.success",
      transaction_id: `TR_${p.receipt}`,
      checkout_id: p.checkoutRequestId,
      amount: paidOrRequested(p),
      phone_number: p.phone,
      mpesa_code: p.receipt,
      api_ref: p.externalReference,
      payment_date: paymentDate,
    }
  }
  return {
    status: "payment.failed",
    checkout_id: p.checkoutRequestId,
    amount: p.amount,
    phone_number: p.phone,
    mpesa_code: null,
    api_ref: p.externalReference,
    payment_date: paymentDate,
  }
}

function lipwaStatus(p: SandboxPayment): string {
  return p.status === "pending" ? "payment.queued" : p.status === "success" ? "payment.success" : "payment.failed"
}

function paidOrRequested(p: SandboxPayment): number {
  return p.status === "success" ? (p.amountPaid ?? p.amount) : p.amount
}
