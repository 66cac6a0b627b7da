import { defineMiddlewares } from "@medusajs/framework/http"

import { refuseSecondLivePrompt } from "./one-prompt-guard"
import { refuseCancelOfUnrefundedMpesaOrder } from "./refund-guard"

export default defineMiddlewares({
  routes: [
    {
      // Aggregator callbacks: JSON, kept raw as well for the provider's webhook hook.
      matcher: "/hooks/mpesa/:gateway",
      method: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      matcher: "/store/payment-collections/:id/payment-sessions",
      method: ["POST"],
      middlewares: [refuseSecondLivePrompt],
    },
    {
      matcher: "/admin/orders/:id/cancel",
      method: ["POST"],
      middlewares: [refuseCancelOfUnrefundedMpesaOrder],
    },
  ],
})
