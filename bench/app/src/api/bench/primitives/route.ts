import { performance } from "node:perf_hooks"

import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

const noop = createStep("bench-primitive-step", async (input: { n: number }) => new StepResponse(input.n))
const oneStep = createWorkflow("bench-primitive-workflow", (input: { n: number }) => new WorkflowResponse(noop(input)))
const noops = Array.from({ length: 5 }, (_, i) => createStep(`bench-primitive-step-${i}`, async (input: { n: number }) => new StepResponse(input.n)))
const fiveSteps = createWorkflow("bench-primitive-workflow-5", (input: { n: number }) => new WorkflowResponse(noops.reduce((value, step) => step({ n: value }), input.n as unknown as any)))

/** What the plugin asks of Medusa and of its ledger on a payment's path, one call each. */
async function cases(container: MedusaContainer): Promise<Array<{ name: string; call: () => Promise<unknown> }>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const ledger = container.resolve("mpesa") as any
  // A paid M-Pesa attempt with its order, its session and its payment (the bench's warm-up made some).
  const [attempt] = await ledger.listMpesaAttempts({ state: "paid", order_id: { $ne: null } }, { take: 1, order: { pushed_at: "DESC" } })
  if (!attempt) {
    throw new Error("no paid M-Pesa order yet: run a payment first")
  }
  const session = await payments.retrievePaymentSession(attempt.session_id, { select: ["id", "status", "data", "amount", "currency_code"] })
  const [payment] = await payments.listPayments({ payment_session_id: session.id }, { select: ["id"] })
  return [
    { name: "a workflow run (one step)", call: () => oneStep(container).run({ input: { n: 1 } }) },
    { name: "a workflow run (five steps in a row)", call: () => fiveSteps(container).run({ input: { n: 1 } }) },
    { name: "query.graph: a cart's order (order_cart link)", call: () => query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: attempt.cart_id } }) },
    { name: "query.graph: a session's payment", call: () => query.graph({ entity: "payment", fields: ["id"], filters: { payment_session_id: session.id } }) },
    { name: "Payment Module: retrievePaymentSession", call: () => payments.retrievePaymentSession(session.id, { select: ["id", "status", "data", "amount", "currency_code"] }) },
    {
      name: "Payment Module: updatePaymentSession",
      call: () => payments.updatePaymentSession({ id: session.id, amount: Number(session.amount), currency_code: session.currency_code, data: session.data ?? {}, status: session.status }),
    },
    { name: "ledger: an attempt by id (SQL)", call: () => ledger.findAttempt(attempt.id) },
    { name: "ledger: an attempt by id (listMpesaAttempts, the ORM)", call: () => ledger.listMpesaAttempts({ id: attempt.id }) },
    { name: "ledger: the guard's read (SQL)", call: () => ledger.guardAttempts(attempt.payment_collection_id, { phone_hash: attempt.phone_hash, since: new Date(Date.now() - 300_000) }, 53) },
    { name: "ledger: a flag written (SQL)", call: () => ledger.updateAttemptColumns(attempt.id, { checked_at: new Date() }) },
    {
      name: "ledger: a callback logged (SQL)",
      call: () =>
        ledger.logCallback({ gateway: attempt.gateway, attempt_id: attempt.id, named_id: "bench-primitives", signature_valid: true, body: "{}", headers: {}, answer_status: 200, answer_code: null, answer_message: "ok", received_at: new Date() }),
    },
    { name: "(baseline) a database round trip: select 1", call: () => container.resolve(ContainerRegistrationKeys.PG_CONNECTION).raw("select 1") },
  ]
}

/**
 * POST /bench/primitives?n=…: the server's main-thread time per call of what the plugin asks
 * of Medusa and of its ledger on a payment's path (its event loop's busy time over n calls in a
 * row, after 20 unmeasured), so the steps of a payment can be priced. The bench store's route,
 * not the plugin's: `npm run bench -- --steps` calls it with nothing else running. It writes:
 * the same session data back, a check time on one attempt, a row in the callback log.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const n = Math.min(Math.max(Number(req.query.n ?? 200), 1), 2000)
  const measured: Array<{ name: string; ms: number }> = []
  for (const { name, call } of await cases(req.scope)) {
    for (let i = 0; i < 20; i++) {
      await call()
    }
    const before = performance.eventLoopUtilization()
    for (let i = 0; i < n; i++) {
      await call()
    }
    const { active } = performance.eventLoopUtilization(before)
    measured.push({ name, ms: Math.round((active / n) * 100) / 100 })
  }
  res.json({ n, primitives: measured })
}
