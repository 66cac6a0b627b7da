import { randomUUID } from "node:crypto"

import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import axios from "axios"

import { isMpesaProviderId, mpesaGateway } from "../../providers/registry"

/** Every M-Pesa provider registered and enabled, as the set-up check shows it (no key, no secret). */
export async function mpesaProviders(container: MedusaContainer) {
  const providers = await container.resolve<IPaymentModuleService>(Modules.PAYMENT).listPaymentProviders({ is_enabled: true })
  return providers
    .filter((p) => isMpesaProviderId(p.id))
    .map((p) => ({ provider_id: p.id, ...mpesaGateway(container, p.id).setupSummary() }))
}

export type CallbackTest = {
  provider_id: string
  url: string
  result: "reachable" | "not_reachable" | "wrong_scheme" | "refused"
  http_status?: number
  detail: string
  likely_cause?: string
}

/**
 * Calls the store's own public callback URL (from `callbackBaseUrl`) with a signed ping, as an
 * aggregator would reach it, and says what happened in the merchant's terms. A wrong public
 * URL, or a proxy or firewall in front of /hooks, is the most common reason M-Pesa orders stay
 * pending.
 */
export async function testCallbackUrl(container: MedusaContainer, providerId: string): Promise<CallbackTest> {
  const provider = mpesaGateway(container, providerId)
  const pingUrl = new URL(provider.pingUrl(providerId, randomUUID()))
  const shown = `${pingUrl.origin}${pingUrl.pathname}`
  const answer = (result: CallbackTest["result"], detail: string, likely_cause?: string, http_status?: number): CallbackTest => ({
    provider_id: providerId,
    url: shown,
    result,
    detail,
    ...(likely_cause ? { likely_cause } : {}),
    ...(http_status ? { http_status } : {}),
  })
  if (pingUrl.protocol !== "https:" && pingUrl.protocol !== "http:") {
    return answer("wrong_scheme", `callbackBaseUrl uses ${pingUrl.protocol}`, "callbackBaseUrl must start with https:// (or http:// for local testing).")
  }
  try {
    const response = await axios.post(pingUrl.toString(), {}, { timeout: 5_000, maxRedirects: 0, validateStatus: () => true })
    if (response.status === 200 && response.data?.pong) {
      const local = /^(localhost|127\.|\[::1\])/.test(pingUrl.hostname)
      return answer(
        "reachable",
        `POST ${shown} answered 200 from this store.`,
        pingUrl.protocol === "http:" && !local ? "Reachable, but over http: the aggregators' callbacks should use https." : undefined,
        200
      )
    }
    if (response.status === 401) {
      return answer("refused", `${shown} answered 401.`, "The URL reaches a store, but not one with this callbackSecret (another environment behind the same host?).", 401)
    }
    if (response.status >= 300 && response.status < 400) {
      return answer("refused", `${shown} answered a redirect (${response.status}).`, "The aggregators do not follow redirects: point callbackBaseUrl at the final address (often http → https).", response.status)
    }
    return answer(
      "refused",
      `${shown} answered HTTP ${response.status}.`,
      response.status === 404 ? "Something answers at that address, but not this store's /hooks route: check the path prefix and the proxy rules." : "A proxy or the server in front of the store refused the request.",
      response.status
    )
  } catch (error) {
    const code = (error as { code?: string }).code
    const cause =
      code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "The host name in callbackBaseUrl does not resolve."
        : code === "ECONNREFUSED"
          ? "Nothing listens at that host and port: check callbackBaseUrl (host and port)."
          : code === "ECONNABORTED" || code === "ETIMEDOUT"
            ? "No answer within 5 s: a firewall or proxy is probably dropping requests to /hooks."
            : "The request failed before any answer."
    return answer("not_reachable", `POST ${shown} failed: ${code ?? (error as Error).message}.`, cause)
  }
}
