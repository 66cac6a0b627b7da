import type { MpesaStartResult, MpesaStatus } from "./checkout.js"
import { isMpesa, liveMpesaSession } from "./checkout.js"
import { parseMpesaStatus } from "./contract.js"

/** The part of `@medusajs/js-sdk`'s `Medusa` instance this needs (any version of it fits). */
export type MedusaSdkLike = {
  client: {
    fetch<T>(
      input: string,
      init?: { method?: string; body?: Record<string, any>; headers?: Record<string, string>; query?: Record<string, any> }
    ): Promise<T>
  }
}

type Headers = Record<string, string>
type SessionLike = { id: string; provider_id: string; status?: string; data?: Record<string, unknown> | null }
type CartWithCollection = {
  id: string
  payment_collection?: { id: string; payment_sessions?: SessionLike[] | null } | null
}

/** Words for a failure that never reached the store (its own message is for developers). */
const UNREACHABLE = "We could not reach the store to send the M-Pesa prompt. Check your connection and try again."

/**
 * Sends the M-Pesa prompt for a cart: `POST /store/payment-collections/:id/payment-sessions`
 * with the phone, creating the cart's payment collection first if it has none. Never throws:
 * a refusal comes back as `{ ok: false, status, message }` with the plugin's words for the
 * shopper, because a Next.js server action that throws shows the shopper only "An error
 * occurred in the Server Components render" in a production build. A 409 (a prompt is already
 * live, or already paid, for this cart) comes back as the session to follow.
 */
export async function startMpesaPayment(
  sdk: MedusaSdkLike,
  input: { cartId: string; providerId: string; phone: string; headers?: Headers }
): Promise<MpesaStartResult> {
  const { cartId, providerId, phone, headers = {} } = input
  if (!isMpesa(providerId)) {
    return { ok: false, message: `${providerId} is not an M-Pesa payment provider.` }
  }
  try {
    const cart = await retrieveCart(sdk, cartId, headers)
    let collectionId = cart.payment_collection?.id
    if (!collectionId) {
      const { payment_collection } = await sdk.client.fetch<{ payment_collection: { id: string } }>("/store/payment-collections", {
        method: "POST",
        body: { cart_id: cartId },
        headers,
      })
      collectionId = payment_collection.id
    }
    const { payment_collection } = await sdk.client.fetch<{ payment_collection: { payment_sessions?: SessionLike[] } }>(
      `/store/payment-collections/${collectionId}/payment-sessions`,
      { method: "POST", body: { provider_id: providerId, data: { phone_number: phone } }, headers }
    )
    const session = payment_collection.payment_sessions?.find((s) => s.provider_id === providerId)
    if (!session) {
      return { ok: false, message: UNREACHABLE }
    }
    return { ok: true, session_id: session.id, provider_id: session.provider_id, ...shownPhone(session), ...unconfirmedMessage(session) }
  } catch (error) {
    const { status, message } = error as { status?: number; message?: string }
    if (status === 409) {
      // Pressed twice, or back to a cart whose prompt is live or paid: follow that prompt.
      const live = await retrieveCart(sdk, cartId, headers)
        .then((cart) => liveMpesaSession(cart))
        .catch(() => undefined)
      if (live) {
        return { ok: true, session_id: live.id, provider_id: live.provider_id, resumed: true, ...shownPhone(live), message }
      }
    }
    if (typeof status === "number" && message) {
      return { ok: false, status, message }
    }
    return { ok: false, message: UNREACHABLE }
  }
}

/**
 * `GET /store/mpesa/payment-sessions/:id`, the polling contract (contract.ts): rejects, like a
 * failed request, when the answer does not fit it.
 */
export async function mpesaPaymentStatus(sdk: MedusaSdkLike, sessionId: string, headers: Headers = {}): Promise<MpesaStatus> {
  return parseMpesaStatus(await sdk.client.fetch<unknown>(`/store/mpesa/payment-sessions/${encodeURIComponent(sessionId)}`, { headers }))
}

async function retrieveCart(sdk: MedusaSdkLike, cartId: string, headers: Headers): Promise<CartWithCollection> {
  const { cart } = await sdk.client.fetch<{ cart: CartWithCollection }>(`/store/carts/${encodeURIComponent(cartId)}`, {
    query: { fields: "id,*payment_collection,*payment_collection.payment_sessions" },
    headers,
  })
  return cart
}

function shownPhone(session: SessionLike): { phone?: string } {
  return typeof session.data?.phone === "string" ? { phone: session.data.phone } : {}
}

function unconfirmedMessage(session: SessionLike): { message?: string } {
  // "A prompt may be on your phone": the push's answer was lost (docs/storefront.md).
  return session.data?.push_unconfirmed === true && typeof session.data.message === "string" ? { message: session.data.message } : {}
}
