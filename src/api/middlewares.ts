import { defineMiddlewares } from "@medusajs/framework/http"

import { completedMpesaCartRoute } from "./completed-cart-guard"
import { markMerchantRefund, refuseCancelOfUnrefundedMpesaOrder } from "./refund-guard"
import { startMpesaPaymentRoute } from "./start-payment-guard"

export default defineMiddlewares({
  routes: [
    {
      // Aggregator callbacks: JSON, kept raw as well.
      matcher: "/hooks/mpesa/:gateway",
      method: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      // With a method, this runs after Medusa's own validation of the same route.
      matcher: "/store/payment-collections/:id/payment-sessions",
      method: ["POST"],
      middlewares: [startMpesaPaymentRoute],
    },
    {
      matcher: "/store/carts/:id/complete",
      method: ["POST"],
      middlewares: [completedMpesaCartRoute],
    },
    {
      matcher: "/admin/orders/:id/cancel",
      method: ["POST"],
      middlewares: [refuseCancelOfUnrefundedMpesaOrder],
    },
    {
      matcher: "/admin/payments/:id/refund",
      method: ["POST"],
      middlewares: [markMerchantRefund],
    },
  ],
})
