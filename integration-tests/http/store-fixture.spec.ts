import path from "node:path"

import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { adminHeaders, prepareCart, seedStore, SHIPPING_PRICE, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

/** Medusa's built-in manual payment provider; registered in every app, no configuration. */
const MANUAL = "pp_system_default"

/**
 * The store fixture itself, proven with the manual provider so that a failure here points at
 * the fixture (or Medusa), never at the M-Pesa providers.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>

    beforeEach(async () => {
      seed = await seedStore(getContainer(), { paymentProviders: [MANUAL] })
      store = storeApi(api, seed.publishableKey)
    })

    describe("a seeded KES store", () => {
      it("offers the region's enabled payment providers to the storefront", async () => {
        const response = await store.listPaymentProviders(seed.region.id)

        expect(response.status).toBe(200)
        expect(response.data.payment_providers.map((provider) => provider.id)).toContain(MANUAL)
        expect(seed.region.currency_code).toBe("kes")
      })

      it("offers its flat-rate shipping option for a cart shipping to Kenya", async () => {
        const { data: created } = await store.createCart({
          region_id: seed.region.id,
          items: [{ variant_id: seed.variant.id, quantity: 1 }],
          shipping_address: { country_code: "ke" },
        })

        const response = await store.listShippingOptions(created.cart.id)

        expect(response.status).toBe(200)
        expect(response.data.shipping_options).toEqual([
          expect.objectContaining({ id: seed.shippingOption.id, amount: SHIPPING_PRICE }),
        ])
      })

      it("takes a Store API checkout to an order whose total is price × quantity + shipping, untaxed", async () => {
        const { cart, paymentCollectionId } = await prepareCart(store, seed, { quantity: 2 })
        expect(cart).toMatchObject({
          currency_code: "kes",
          item_total: 2000,
          shipping_total: SHIPPING_PRICE,
          tax_total: 0,
          total: 2200,
        })

        const session = await store.initiatePaymentSession(paymentCollectionId, MANUAL)
        expect(session.status).toBe(200)
        expect(session.data.payment_collection).toMatchObject({ amount: 2200 })
        expect(session.data.payment_collection.payment_sessions).toEqual([
          expect.objectContaining({ provider_id: MANUAL, amount: 2200 }),
        ])

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
        if (completed.data.type !== "order") {
          throw new Error(`cart not completed: ${JSON.stringify(completed.data.error)}`)
        }
        expect(completed.data.order).toMatchObject({ currency_code: "kes", total: 2200, email: "shopper@example.com" })
        expect(completed.data.order.items).toEqual([
          expect.objectContaining({ variant_id: seed.variant.id, quantity: 2, unit_price: 1000 }),
        ])
        // The variant manages inventory: the order reserved 2 of the 100 stocked in the location.
        const inventory = getContainer().resolve(Modules.INVENTORY)
        const levels = await inventory.listInventoryLevels({ location_id: seed.stockLocation.id })
        expect(levels).toEqual([expect.objectContaining({ stocked_quantity: 100, reserved_quantity: 2 })])
      })

      it("refuses to complete a cart that has no payment session", async () => {
        const { cart } = await prepareCart(store, seed)

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(400)
        expect(completed.data.message).toMatch(/payment sessions are required/i)
      })

      it("refuses a payment provider the region does not enable", async () => {
        const { paymentCollectionId } = await prepareCart(store, seed)

        const response = await store.initiatePaymentSession(paymentCollectionId, "pp_not-enabled_here")

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ type: "invalid_data" })
      })
    })

    describe("several stores in one test", () => {
      it("reuse the region holding the same countries, each with its own product and key", async () => {
        const second = await seedStore(getContainer(), { paymentProviders: [MANUAL], productPrice: 99.5, withShipping: false })
        const secondStore = storeApi(api, second.publishableKey)

        const { cart } = await prepareCart(secondStore, second, { quantity: 1, shipping: false })

        expect(second.region.id).toBe(seed.region.id)
        expect(second.variant.id).not.toBe(seed.variant.id)
        expect(cart).toMatchObject({ total: 99.5, shipping_total: 0 })
        expect(cart.items?.[0]).toMatchObject({ requires_shipping: false })
      })

      it("get a region of their own for other countries and currency", async () => {
        const euro = await seedStore(getContainer(), {
          paymentProviders: [MANUAL],
          currencyCode: "eur",
          regionName: "Europe",
          countries: ["de"],
        })
        const euroStore = storeApi(api, euro.publishableKey)

        const { cart } = await prepareCart(euroStore, euro, { quantity: 1 })

        expect(euro.region).toMatchObject({ name: "Europe", currency_code: "eur" })
        expect(euro.region.id).not.toBe(seed.region.id)
        expect(cart).toMatchObject({ currency_code: "eur", total: 1000 + SHIPPING_PRICE })
      })
    })

    describe("the Store API", () => {
      it("rejects a request without the publishable key", async () => {
        const response = await api.get(`/store/payment-providers?region_id=${seed.region.id}`, {
          validateStatus: () => true,
        })

        expect(response.status).toBe(400)
        expect(response.data.message).toMatch(/x-publishable-api-key/)
      })
    })

    describe("the admin API", () => {
      it("accepts adminHeaders (a secret API key over HTTP Basic) and lists the payment providers", async () => {
        const response = await api.get("/admin/payments/payment-providers", {
          headers: await adminHeaders(getContainer()),
          validateStatus: () => true,
        })

        expect(response.status).toBe(200)
        expect(response.data.payment_providers.map((provider: { id: string }) => provider.id)).toContain(MANUAL)
      })

      it("answers 401 to a request without credentials", async () => {
        const response = await api.get("/admin/payments/payment-providers", { validateStatus: () => true })

        expect(response.status).toBe(401)
      })
    })
  },
})
