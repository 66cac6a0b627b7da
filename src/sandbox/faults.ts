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
  mode: z.enum(["http_500", "http_503", "malformed_json", "delay", "reset"]),
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
