import type { MedusaError } from "@medusajs/framework/utils"

import type { GatewayError } from "../gateways/errors"
import { refusal } from "../payment/refusals"

/**
 * Turns a gateway failure during checkout into what the storefront shows, from the refusal
 * catalogue (payment/refusals.ts). The merchant's version (which option to fix, what the gateway
 * said) goes to the logs; the shopper gets a message they can act on and a stable code.
 */
export function shopperError(error: GatewayError): MedusaError {
  switch (error.kind) {
    case "validation":
      if (error.field === "phone_number") {
        return refusal(
          "MPESA_INVALID_PHONE",
          error.customerMessage && error.reached === "yes" ? `M-Pesa did not accept this phone number: ${error.customerMessage}` : undefined
        )
      }
      if (error.field === "amount") {
        return refusal("MPESA_INVALID_AMOUNT", error.message)
      }
      return refusal("MPESA_GATEWAY_VALIDATION")
    case "rejected":
      return refusal("MPESA_GATEWAY_REJECTED", error.customerMessage || undefined)
    case "rate_limited":
      return refusal("MPESA_RATE_LIMITED")
    default:
      // unavailable (provably not sent: a push that may have been sent is kept as unconfirmed
      // by the provider, never refused), auth, unexpected_payload: explained in the logs.
      return refusal("MPESA_UNAVAILABLE")
  }
}
