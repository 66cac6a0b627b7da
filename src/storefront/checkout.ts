/**
 * The storefront's side of an M-Pesa payment, with no React and no network: what the shopper
 * sees at each moment of the polling contract (docs/storefront.md), as a reducer the hook
 * drives, and the small facts a checkout needs (is this provider M-Pesa, which gateway, the
 * receipt of a payment). Safe to import anywhere: server components, server actions, the client.
 */

import { FOLLOWED_SESSION_STATES, type MpesaStatus } from "./contract.js"

/** What `GET /store/mpesa/payment-sessions/:id` answers (contract.ts, shared with the plugin's route). */
export type { MpesaStatus } from "./contract.js"

/** What starting a payment returns to the browser: never throws, so a server action can pass it on. */
export type MpesaStartResult =
  | { ok: true; session_id: string; provider_id?: string; phone?: string; message?: string; resumed?: boolean }
  | { ok: false; status?: number; message: string }

export type MpesaPhase = "idle" | "sending" | "waiting" | "paid"

/** The one wording for starting over after a refusal or an ended prompt: the button, and the words around it. */
export const SEND_AGAIN = "Send the prompt again"

export type MpesaCheckoutState = {
  phase: MpesaPhase
  /** The payment session being followed (waiting, paid). */
  sessionId?: string
  /** Its provider: another M-Pesa option's when the shopper switched while its prompt was live. */
  providerId?: string
  /** The masked number the prompt went to, as the store recorded it. */
  phone?: string
  /** The plugin's words for the shopper: why the last prompt ended, or what the wait means. */
  message?: string
  /** A refusal or an ended prompt: the phone form shows it, and Pay becomes "Send the prompt again". */
  error?: string
  receipt?: string
  orderId?: string
  expiresAt?: number
}

export type MpesaCheckoutEvent =
  | { type: "send" }
  | { type: "started"; result: Extract<MpesaStartResult, { ok: true }> }
  | { type: "refused"; message: string }
  | { type: "status"; status: MpesaStatus }
  /** A session found on the cart when the page loads (a reload during a live prompt). */
  | { type: "resume"; sessionId: string; providerId?: string; phone?: string; status: MpesaStatus }

export const initialMpesaCheckout: MpesaCheckoutState = { phase: "idle" }

export function mpesaCheckoutReducer(state: MpesaCheckoutState, event: MpesaCheckoutEvent): MpesaCheckoutState {
  switch (event.type) {
    case "send":
      return state.phase === "idle" ? { phase: "sending", error: state.error } : state
    case "started":
      return {
        phase: "waiting",
        sessionId: event.result.session_id,
        providerId: event.result.provider_id,
        phone: event.result.phone,
        message: event.result.message,
      }
    case "refused":
      return { phase: "idle", error: event.message }
    case "resume":
      // A prompt that ended before the reload is history, not news: the form starts clean.
      if (event.status.status === "failed" || event.status.status === "expired") {
        return state
      }
      return withStatus({ phase: "waiting", sessionId: event.sessionId, providerId: event.providerId, phone: event.phone }, event.status)
    case "status":
      if (!state.sessionId || event.status.id !== state.sessionId || (state.phase !== "waiting" && state.phase !== "paid")) {
        return state
      }
      return withStatus(state, event.status)
  }
}

function withStatus(state: MpesaCheckoutState, status: MpesaStatus): MpesaCheckoutState {
  const expiresAt = status.expires_at ? Date.parse(status.expires_at) : state.expiresAt
  switch (status.status) {
    case "pending":
      // A late "pending" never takes back a payment already seen.
      return state.phase === "paid" ? state : { ...state, phase: "waiting", message: status.message, expiresAt }
    case "paid":
      return {
        ...state,
        phase: "paid",
        message: status.message,
        receipt: status.receipt ?? state.receipt,
        orderId: status.order_id ?? state.orderId,
        expiresAt,
      }
    case "failed":
    case "expired":
      if (state.phase === "paid") {
        return state
      }
      return { phase: "idle", error: status.message || `The M-Pesa payment did not go through. ${SEND_AGAIN}.` }
  }
}

/** Whole seconds until the prompt expires (0 once it has, undefined when unknown). */
export function secondsLeft(expiresAt: number | undefined, now: number): number | undefined {
  return expiresAt === undefined ? undefined : Math.max(0, Math.ceil((expiresAt - now) / 1000))
}

/** "1:05" */
export function formatCountdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`
}

/** The plugin's providers register as `pp_mpesa-<gateway>_<id>`. */
export function isMpesa(providerId?: string | null): boolean {
  return !!providerId?.startsWith("pp_mpesa-")
}

/** "lipia" for `pp_mpesa-lipia_lipia`. */
export function mpesaGatewayOf(providerId: string): string | undefined {
  return /^pp_mpesa-([a-z0-9]+)_/.exec(providerId)?.[1]
}

const GATEWAY_NAMES: Record<string, string> = { lipia: "Lipia", lipwa: "Lipwa" }

/**
 * Which M-Pesa options a checkout offers when the region has several M-Pesa providers (both
 * aggregators, or two shortcodes). By default one, named "M-Pesa": to the shopper M-Pesa is one
 * way to pay, and which aggregator carries it is the store's business.
 */
export type MpesaChoice = {
  /**
   * The one to offer: a provider id, or a gateway ("lipia", "lipwa"). Default Lipia's: its
   * failures tell the shopper what happened (cancelled, balance too low, wrong PIN), where
   * Lipwa's API says only that the payment failed.
   */
  prefer?: string
  /**
   * Offer each of these providers, under the name given, instead of one: e.g.
   * `{ "pp_mpesa-lipia_lipia": "M-Pesa", "pp_mpesa-lipwa_lipwa": "M-Pesa Paybill" }`.
   */
  names?: Record<string, string>
}

const DEFAULT_GATEWAY_ORDER = ["lipia", "lipwa"]
type Offered = string | { id: string }
const idOf = (p: Offered) => (typeof p === "string" ? p : p.id)

/**
 * The region's payment methods as the checkout lists them: every other method, and the M-Pesa
 * options `choice` asks for (one by default), in the region's order.
 */
export function mpesaPaymentMethods<P extends Offered>(offered: readonly P[], choice: MpesaChoice = {}): P[] {
  const shown = shownMpesaIds(offered.map(idOf), choice)
  return offered.filter((p) => !isMpesa(idOf(p)) || shown.has(idOf(p)))
}

function shownMpesaIds(ids: readonly string[], { prefer, names }: MpesaChoice): Set<string> {
  const mpesa = ids.filter(isMpesa)
  const named = mpesa.filter((id) => names?.[id])
  if (named.length) {
    return new Set(named)
  }
  const rank = (id: string) => {
    if (prefer && (id === prefer || mpesaGatewayOf(id) === prefer)) {
      return -1
    }
    const at = DEFAULT_GATEWAY_ORDER.indexOf(mpesaGatewayOf(id) ?? "")
    return at < 0 ? DEFAULT_GATEWAY_ORDER.length : at
  }
  const first = [...mpesa].sort((a, b) => rank(a) - rank(b))[0]
  return new Set(first ? [first] : [])
}

/**
 * The checkout's name for an M-Pesa option: the merchant's (`choice.names`), else "M-Pesa", or
 * "M-Pesa (Lipia)" when more than one M-Pesa option is listed anyway, so the shopper never sees
 * two identical options.
 */
export function mpesaTitle(providerId: string, offered: readonly Offered[] = [], choice: MpesaChoice = {}): string {
  const named = choice.names?.[providerId]
  if (named) {
    return named
  }
  const mpesaOffered = offered.map(idOf).filter(isMpesa)
  if (mpesaOffered.length < 2) {
    return "M-Pesa"
  }
  const gateway = mpesaGatewayOf(providerId) ?? ""
  return `M-Pesa (${GATEWAY_NAMES[gateway] ?? gateway})`
}

/**
 * Entries for a storefront's provider → { title, icon } map (the starter's `paymentInfoMap`)
 * for the README's provider ids, or the ids given.
 */
export function mpesaPaymentInfo<Icon>(
  icon: Icon,
  providerIds: readonly string[] = ["pp_mpesa-lipia_lipia", "pp_mpesa-lipwa_lipwa"]
): Record<string, { title: string; icon: Icon }> {
  return Object.fromEntries(providerIds.map((id) => [id, { title: "M-Pesa", icon }]))
}

/**
 * The same map with each offered M-Pesa option named by `mpesaTitle` (pass the list
 * `mpesaPaymentMethods` gave, and the same `choice`), and any M-Pesa provider missing from it
 * added (under a custom provider id).
 */
export function withMpesaTitles<Info extends { title: string }>(
  infoMap: Record<string, Info>,
  offered: readonly Offered[],
  choice: MpesaChoice = {}
): Record<string, Info> {
  const ids = offered.map(idOf)
  const fallback = Object.entries(infoMap).find(([id]) => isMpesa(id))?.[1]
  const named = ids
    .filter(isMpesa)
    .map((id) => [id, infoMap[id] ?? fallback] as const)
    .filter((entry): entry is readonly [string, Info] => !!entry[1])
    .map(([id, info]) => [id, { ...info, title: mpesaTitle(id, ids, choice) }])
  return { ...infoMap, ...Object.fromEntries(named) }
}

/** The M-Pesa receipt (what the shopper's SMS says) of a Medusa payment, if it is an M-Pesa one. */
export function mpesaReceipt(payment?: { provider_id?: string; data?: Record<string, unknown> | null } | null): string | undefined {
  if (!payment || !isMpesa(payment.provider_id)) {
    return undefined
  }
  const receipt = payment.data?.receipt
  return typeof receipt === "string" && receipt ? receipt : undefined
}

type Address = { phone?: string | null; country_code?: string | null } | null | undefined

/** A number to prefill the M-Pesa field with: the cart's (shipping, then billing) phone, if it has one. */
export function mpesaPhoneOf(cart: { shipping_address?: Address; billing_address?: Address }): string {
  return (cart.shipping_address?.phone || cart.billing_address?.phone || "").trim()
}

/** "KES 1,000" (M-Pesa asks whole shillings; the plugin rounds a fraction up). */
export function formatKes(amount: number | undefined | null): string {
  return `KES ${Math.ceil(Number(amount ?? 0)).toLocaleString("en-KE")}`
}

type SessionLike = { id: string; provider_id: string; status?: string; data?: Record<string, unknown> | null }

/**
 * The cart's M-Pesa session that may still be live (its prompt pending, or a push whose answer
 * was lost): what a reloaded page follows.
 */
export function liveMpesaSession(
  cart: { payment_collection?: { payment_sessions?: SessionLike[] | null } | null },
  providerId?: string
): SessionLike | undefined {
  return cart.payment_collection?.payment_sessions?.find(
    (s) =>
      isMpesa(s.provider_id) &&
      (!providerId || s.provider_id === providerId) &&
      (FOLLOWED_SESSION_STATES as readonly unknown[]).includes(s.data?.state)
  )
}

/**
 * Whether a call of the storefront's `complete()` placed the order, so that it must not be made
 * again: it returned the order, or (the starter's `placeOrder`) it redirected to the
 * confirmation, which a Next.js server action reports to its caller as a rejection carrying
 * Next's redirect. Called again, `placeOrder` finds the cart cookie it removed gone and fails
 * ("No existing cart found", a 500 in the server's log). Anything else (the cart, a refusal)
 * means "not an order yet": the step tries again.
 */
export function completionPlacedOrder(outcome: { value: unknown } | { error: unknown }): boolean {
  if ("error" in outcome) {
    const { digest, message } = (outcome.error ?? {}) as { digest?: unknown; message?: unknown }
    return [digest, message].some((text) => typeof text === "string" && text.startsWith("NEXT_REDIRECT"))
  }
  const value = outcome.value as { type?: unknown; order?: unknown } | null | undefined
  return value?.type === "order" || (!!value?.order && typeof value.order === "object")
}
