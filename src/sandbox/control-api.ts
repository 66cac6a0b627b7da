/**
 * The control API under `/__sandbox`: what tests, the demo and the phone page use to look at
 * and steer the sandbox. JSON in and out, no auth (it is a local tool). It mirrors the
 * programmatic `Sandbox` methods one for one.
 */
import { z } from "zod"
import { SandboxError } from "./errors"
import type { ApiHandler, ApiRequest, ApiResponse } from "./http"
import { OUTCOME_NAMES } from "./outcomes"
import type { Fault, Outcome, Sandbox } from "./types"

type Controls = Pick<
  Sandbox,
  "payments" | "payment" | "recordTillPayment" | "settle" | "resendCallback" | "callbacks" | "requests" | "injectFault" | "reset"
>

const SettleBody = z.object({
  outcome: z.enum(OUTCOME_NAMES as [Outcome, ...Outcome[]]),
  amount: z.number().int().min(0).optional(),
  callback: z.enum(["send", "lost", "duplicate"]).optional(),
})

/** Loose on purpose: the sandbox's own rules (Simulator.payToTill) say what is wrong, one message each. */
const TillBody = z.object({
  phone: z.string(),
  amount: z.number(),
  receipt: z.string().optional(),
  api_key: z.string().min(1).optional(),
  type: z.enum(["Credit", "Debit"]).optional(),
  paid_at: z.string().optional(),
})

const ResendBody = z.object({ url: z.url({ protocol: /^https?$/ }).optional() })

export function createControlApi(controls: Controls): ApiHandler {
  return async (req) => {
    try {
      return await route(req)
    } catch (err) {
      if (err instanceof SandboxError) {
        return json(err.status, { message: err.message })
      }
      throw err
    }
  }

  async function route(req: ApiRequest): Promise<ApiResponse> {
    const { method, path } = req
    const match = /^\/payments\/([^/]+)(\/settle|\/callback)?$/.exec(path)
    if (match) {
      const ref = decodeURIComponent(match[1])
      if (method === "GET" && !match[2]) {
        const payment = controls.payment(ref)
        return payment ? json(200, payment) : json(404, { message: `No payment with reference ${ref}` })
      }
      if (method === "POST" && match[2] === "/settle") {
        const body = SettleBody.safeParse(req.body.kind === "json" ? req.body.value : undefined)
        if (!body.success) {
          return json(400, { message: `Expected { outcome: ${OUTCOME_NAMES.join(" | ")}, amount?, callback? }` })
        }
        const { outcome, ...opts } = body.data
        return json(200, await controls.settle(ref, outcome, opts))
      }
      if (method === "POST" && match[2] === "/callback") {
        const body = ResendBody.safeParse(req.body.kind === "json" ? req.body.value : {})
        if (!body.success) {
          return json(400, { message: "Expected {} or { url: an http(s) URL to deliver the callback to instead }" })
        }
        return json(200, await controls.resendCallback(ref, body.data))
      }
    }
    switch (`${method} ${path}`) {
      case "GET /payments":
        return json(200, { payments: controls.payments() })
      case "GET /callbacks":
        return json(200, { callbacks: controls.callbacks() })
      case "GET /requests":
        return json(200, { requests: controls.requests() })
      case "POST /till-payments": {
        const body = TillBody.safeParse(req.body.kind === "json" ? req.body.value : undefined)
        if (!body.success) {
          return json(400, { message: "Expected { phone, amount, receipt?, api_key? }" })
        }
        const { api_key, paid_at, ...payment } = body.data
        return json(201, controls.recordTillPayment({ ...payment, ...(api_key ? { apiKey: api_key } : {}), ...(paid_at ? { paidAt: paid_at } : {}) }))
      }
      case "POST /faults": {
        const fault = req.body.kind === "json" ? (req.body.value as Fault) : undefined
        if (!fault) {
          return json(400, { message: "Expected a JSON fault: { api, path?, mode, delayMs?, times? }" })
        }
        controls.injectFault(fault)
        return json(201, { fault })
      }
      case "POST /reset":
        controls.reset()
        return json(200, { ok: true })
      default:
        return json(404, { message: `No control route ${method} /__sandbox${path}` })
    }
  }
}

function json(status: number, body: unknown): ApiResponse {
  return { status, body }
}
