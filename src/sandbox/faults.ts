/**
 * Injected faults: outages a client must survive. Each fault answers the next `times`
 * requests that match it, then is gone.
 */
import { z } from "zod"
import { SandboxError } from "./errors"
import { lipiaError } from "./lipia-payloads"
import type { Api, Fault } from "./types"

export const FaultSchema = z.object({
  api: z.enum(["lipia", "lipwa"]),
  path: z.string().min(1).optional(),
  mode: z.enum(["http_500", "http_503", "http_429", "payment_error", "malformed_json", "delay", "reset"]),
  delayMs: z.number().int().min(0).optional(),
  times: z.number().int().min(1).optional(),
})

interface ActiveFault {
  fault: Required<Omit<Fault, "path">> & { path?: string }
  remaining: number
}

/** Sandbox choice: a "delay" fault without delayMs waits one second. */
const DEFAULT_DELAY_MS = 1000

export class FaultQueue {
  private faults: ActiveFault[] = []

  add(input: Fault): void {
    const parsed = FaultSchema.safeParse(input)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new SandboxError(400, `Invalid fault: ${issue.path.join(".") || "body"}: ${issue.message}`)
    }
    const f = parsed.data
    if (f.mode === "payment_error" && f.api !== "lipia") {
      // Only Lipia documents a declined request (error code PAYMENT_ERROR).
      throw new SandboxError(400, "Invalid fault: mode payment_error exists for api lipia only")
    }
    const fault = { ...f, delayMs: f.delayMs ?? DEFAULT_DELAY_MS, times: f.times ?? 1 }
    this.faults.push({ fault, remaining: fault.times })
  }

  /** The first fault matching this request, used up by one; undefined when none applies. */
  take(api: Api, path: string): Fault | undefined {
    const active = this.faults.find((a) => a.fault.api === api && (!a.fault.path || path.endsWith(a.fault.path)))
    if (!active) {
      return undefined
    }
    if (--active.remaining <= 0) {
      this.faults.splice(this.faults.indexOf(active), 1)
    }
    return { ...active.fault }
  }

  clear(): void {
    this.faults = []
  }
}

/**
 * What a refusal fault answers, in each API's own shape: a 429 (Lipwa documents "429 Too Many
 * Requests"; Lipia documents no limit, so its envelope with a generic code), or Lipia's
 * documented decline (`PAYMENT_ERROR`, HTTP 400: sandbox choice, the status is undocumented).
 */
export function refusalFault(api: Api, mode: "http_429" | "payment_error"): { status: number; body: unknown } {
  if (mode === "payment_error") {
    return {
      status: 400,
      body: lipiaError("Payment request failed", "The payment could not be initiated. Please try again later.", { code: "PAYMENT_ERROR" }),
    }
  }
  return {
    status: 429,
    body: api === "lipia" ? lipiaError("Too many requests", "Please slow down and try again shortly.", { code: "RATE_LIMITED" }) : { message: "Too Many Requests" },
  }
}

/** Answers of the 5xx faults, in each API's own error shape (Lipia: the documented envelope). */
export function faultBody(api: Api, mode: "http_500" | "http_503"): unknown {
  if (api === "lipia") {
    return mode === "http_500"
      ? lipiaError("Internal server error", "Something went wrong. Please try again later.", { code: "INTERNAL_ERROR" })
      : lipiaError("Service temporarily unavailable", "The service is temporarily unavailable. Please try again later.", {
          code: "SERVICE_UNAVAILABLE",
        })
  }
  return { message: mode === "http_500" ? "Internal Server Error" : "Service Unavailable" }
}

/** A 200 whose body is cut off mid-JSON, like a proxy that dropped the connection's tail. */
export function malformedBody(api: Api): string {
  return api === "lipia" ? '{"success": tru' : '{"MerchantRequestID": "'
}
