import { defineMiddlewares } from "@medusajs/framework/http"

import { refuseCancelOfUnrefundedMpesaOrder } from "./refund-guard"

export default defineMiddlewares({
  routes: [
    {
      matcher: "/admin/orders/:id/cancel",
      method: ["POST"],
      middlewares: [refuseCancelOfUnrefundedMpesaOrder],
    },
  ],
})
