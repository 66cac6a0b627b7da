import { MedusaError } from "@medusajs/framework/utils"

import type { GatewayError } from "../gateways/errors"

/**
 * Turns a gateway failure during checkout into what the storefront shows. The merchant's
 * version (which option to fix, what the gateway said) goes to the logs; the shopper gets a
 * message they can act on and a stable code the storefront can switch on.
 */
export function shopperError(error: GatewayError): MedusaError {
  switch (error.kind) {
    case "validation":
      if (error.field === "phone_number") {
        return new MedusaError(
          MedusaError.Types.INVALID_DATA,
          error.customerMessage && error.reached === "yes"
            ? `M-Pesa did not accept this phone number: ${error.customerMessage}`
            : "Enter a valid Safaricom M-Pesa number, for example 0712 345 678.",
          "MPESA_INVALID_PHONE"
        )
      }
      if (error.field === "amount") {
        return new MedusaError(MedusaError.Types.INVALID_DATA, error.message, "MPESA_INVALID_AMOUNT")
      }
      return unavailable("MPESA_GATEWAY_VALIDATION")
    case "rejected":
      return new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        error.customerMessage || "M-Pesa declined the payment request. Try again, or choose another payment method.",
        "MPESA_GATEWAY_REJECTED"
      )
    case "rate_limited":
      return new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        "M-Pesa is busy right now. Try again in a few seconds.",
        "MPESA_RATE_LIMITED"
      )
    default:
      // unavailable (provably not sent: a push that may have been sent is kept as unconfirmed
      // by the provider, never refused), auth, unexpected_payload: explained in the logs.
      return unavailable("MPESA_UNAVAILABLE")
  }
}

function unavailable(code: string): MedusaError {
  return new MedusaError(
    MedusaError.Types.UNEXPECTED_STATE,
    "M-Pesa is not available right now. Try again, or choose another payment method.",
    code
  )
}
