import { defineMiddlewares } from "@medusajs/framework/http"

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
      matcher: "/admin/orders/:id/cancel",
      method: ["POST"],
      middlewares: [refuseCancelOfUnrefundedMpesaOrder],
    },
  ],
})
