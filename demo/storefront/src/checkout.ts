/**
 * The M-Pesa checkout as a storefront calls Medusa: @medusajs/js-sdk with the publishable key,
 * nothing private. docs/storefront.md walks through these calls in order.
 */
import Medusa, { FetchError } from "@medusajs/js-sdk"
import type { HttpTypes } from "@medusajs/types"

// The polling contract's answer and the provider test: the plugin's storefront helpers
// (`medusa-plugin-mpesa/storefront/helpers`), as any storefront takes them.
import { isMpesa, type MpesaStatus } from "../../../src/storefront/checkout"

export { isMpesa, type MpesaStatus }

export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_MEDUSA_BACKEND_URL,
  publishableKey: import.meta.env.VITE_MEDUSA_PUBLISHABLE_KEY,
})

export type Product = { title: string; description: string; variantId: string; price: number }

export async function loadShop(): Promise<{ region: HttpTypes.StoreRegion; products: Product[]; providers: string[] }> {
  const { regions } = await sdk.store.region.list()
  const region = regions.find((candidate) => candidate.currency_code === "kes")
  if (!region) {
    throw new Error("The store has no region in Kenyan shillings.")
  }
  const [{ products }, { payment_providers }] = await Promise.all([
    sdk.store.product.list({ region_id: region.id, fields: "id,title,description,*variants.calculated_price" }),
    sdk.store.payment.listPaymentProviders({ region_id: region.id }),
  ])
  return {
    region,
    products: products.map((product) => ({
      title: product.title,
      description: product.description ?? "",
      variantId: product.variants![0].id,
      price: product.variants![0].calculated_price!.calculated_amount!,
    })),
    providers: payment_providers.map((provider) => provider.id).filter(isMpesa),
  }
}

/**
 * A cart ready to pay: the item, the shopper's details and the cheapest delivery. (A real
 * storefront collects the address in earlier steps; the demo fills in a Nairobi one.)
 */
export async function cartFor(regionId: string, variantId: string): Promise<HttpTypes.StoreCart> {
  const { cart } = await sdk.store.cart.create({
    region_id: regionId,
    email: "shopper@example.com",
    items: [{ variant_id: variantId, quantity: 1 }],
  })
  const address = { first_name: "Demo", last_name: "Shopper", address_1: "Kenyatta Avenue 1", city: "Nairobi", country_code: "ke" }
  await sdk.store.cart.update(cart.id, { shipping_address: address, billing_address: address })
  const { shipping_options } = await sdk.store.fulfillment.listCartOptions({ cart_id: cart.id })
  const cheapest = [...shipping_options].sort((a, b) => (a.amount ?? 0) - (b.amount ?? 0))[0]
  const { cart: ready } = await sdk.store.cart.addShippingMethod(cart.id, { option_id: cheapest.id })
  return ready
}

/**
 * Sends the PIN prompt. Calling it again on the same cart (after a cancelled, failed or expired
 * prompt) replaces the session and sends a new prompt. Returns the session id to poll.
 */
export async function sendPrompt(cartId: string, providerId: string, phoneNumber: string): Promise<string> {
  // The SDK creates the cart's payment collection when the cart it is given has none.
  const { cart } = await sdk.store.cart.retrieve(cartId, { fields: "id,*payment_collection" })
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(cart, {
    provider_id: providerId,
    data: { phone_number: phoneNumber },
  })
  const session = payment_collection.payment_sessions?.find((candidate) => candidate.provider_id === providerId)
  if (!session) {
    throw new Error("Medusa did not return the payment session.")
  }
  return session.id
}

export function pollStatus(sessionId: string): Promise<MpesaStatus> {
  return sdk.client.fetch<MpesaStatus>(`/store/mpesa/payment-sessions/${sessionId}`)
}

/**
 * Once paid, the callback has usually placed the order already; `complete` is safe to race it
 * and returns that order. A cart that cannot become an order answers `type: "cart"`.
 */
export async function placeOrder(cartId: string): Promise<HttpTypes.StoreOrder | undefined> {
  const result = await sdk.store.cart.complete(cartId)
  return result.type === "order" ? result.order : undefined
}

/**
 * What to tell the shopper when Medusa refuses to start the payment. The plugin's messages are
 * written for the shopper (one per MPESA_* code, docs/storefront.md), and the SDK's FetchError
 * carries the message and the HTTP status: 400 = fix the number (or pay another way), 409 = a
 * prompt for this cart is live or it is paid, 429 = this phone had too many prompts.
 */
export function refusalOf(error: unknown): { message: string; status?: number } {
  if (error instanceof FetchError) {
    return { message: error.message, status: error.status }
  }
  return { message: "Could not reach the store. Check your connection and try again." }
}

/**
 * After a 409 (a prompt for this cart is still live, or it was paid): the cart's M-Pesa
 * session to keep polling, if Medusa still has it.
 */
export async function currentSession(cartId: string): Promise<string | undefined> {
  const { cart } = await sdk.store.cart.retrieve(cartId, { fields: "id,*payment_collection.payment_sessions" })
  return cart.payment_collection?.payment_sessions?.find((session) => isMpesa(session.provider_id))?.id
}
