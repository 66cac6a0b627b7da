import { completeCartWorkflow } from "@medusajs/medusa/core-flows"

/**
 * The test store's one customization: a cart whose metadata has `stop_before_authorization`
 * stops its completion at Medusa's `beforePaymentAuthorization` hook, for good — what a server
 * killed at that moment leaves behind: the order, its links and the cart's `completed_at`
 * written, the payment never authorized (recovery.spec). Every other cart completes as usual.
 */
completeCartWorkflow.hooks.beforePaymentAuthorization(async ({ input }, { container }) => {
  const query = container.resolve("query")
  const { data } = await query.graph({ entity: "cart", fields: ["metadata"], filters: { id: input.id } })
  if (data[0]?.metadata?.stop_before_authorization) {
    await new Promise(() => undefined)
  }
})
