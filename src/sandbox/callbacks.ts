/**
 * Callback delivery: one JSON POST per attempt, recorded whatever happens.
 *
 * Both aggregators POST JSON to the callback_url; Lipia documents that the receiver has 30
 * seconds to answer (reference/lipia-status-and-callbacks.md §3), so that is our timeout.
 * Sandbox choice: no retries — neither vendor documents any, and a client must cope with a
 * callback that never arrives (use magic number …005, or resendCallback() for a late one).
 */
import http from "node:http"
import https from "node:https"
import axios from "axios"
import type { CallbackDelivery, SandboxPayment } from "./types"

const TIMEOUT_MS = 30_000
const MAX_RESPONSE_CHARS = 10_000

export class CallbackSender {
  private deliveries: CallbackDelivery[] = []
  private inFlight = new Set<AbortController>()
  private generation = 0
  // Our own agents without keep-alive: no pooled socket outlives a delivery or close().
  private httpAgent = new http.Agent({ keepAlive: false })
  private httpsAgent = new https.Agent({ keepAlive: false })

  constructor(private log: (line: string) => void) {}

  async deliver(payment: SandboxPayment, url: string, body: unknown): Promise<CallbackDelivery> {
    const generation = this.generation
    const controller = new AbortController()
    this.inFlight.add(controller)
    const started = Date.now()
    const delivery: CallbackDelivery = {
      ref: payment.ref,
      api: payment.api,
      url,
      body,
      at: new Date(started).toISOString(),
      durationMs: 0,
    }
    try {
      const res = await axios.post<string>(url, body, {
        timeout: TIMEOUT_MS,
        signal: controller.signal,
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        // Callbacks go straight to the receiver, whatever proxy the environment sets.
        proxy: false,
        maxRedirects: 0,
        headers: { "Content-Type": "application/json", "User-Agent": "mpesa-sandbox" },
        // Record any status and the raw text; judging the answer is the test's job.
        validateStatus: () => true,
        responseType: "text",
        transformResponse: [(data: unknown) => data],
      })
      delivery.status = res.status
      delivery.responseBody = String(res.data ?? "").slice(0, MAX_RESPONSE_CHARS)
    } catch (err) {
      delivery.error = describe(err)
    } finally {
      this.inFlight.delete(controller)
      delivery.durationMs = Date.now() - started
    }
    // A delivery that straddles reset() belongs to the forgotten past.
    if (generation === this.generation) {
      this.deliveries.push(delivery)
    }
    this.log(
      `${payment.api} callback ${payment.ref} → ${url}: ${delivery.status ?? "failed"}` +
        (delivery.error ? ` (${delivery.error})` : ""),
    )
    return delivery
  }

  list(): CallbackDelivery[] {
    return structuredClone(this.deliveries)
  }

  reset(): void {
    this.generation++
    this.deliveries = []
  }

  close(): void {
    for (const controller of this.inFlight) {
      controller.abort()
    }
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }
}

function describe(err: unknown): string {
  if (axios.isAxiosError(err)) {
    return [err.code, err.message].filter(Boolean).join(": ")
  }
  return err instanceof Error ? err.message : String(err)
}
