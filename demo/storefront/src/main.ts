import "./style.css"

import type { HttpTypes } from "@medusajs/types"

import { cartFor, currentSession, loadShop, placeOrder, pollStatus, refusalOf, sendPrompt, type Product } from "./checkout"

/** The plugin's default prompt lifetime (`promptLifetimeMs`): after it the payment is declared expired. */
const PROMPT_SECONDS = 120
const POLL_EVERY_MS = 2000
const GATEWAY_NAMES: Record<string, string> = { "pp_mpesa-lipia_lipia": "Lipia Online", "pp_mpesa-lipwa_lipwa": "Lipwa" }
const PHONE_PAGE = import.meta.env.VITE_MPESA_PHONE_URL

type Checkout = { product: Product; cart: HttpTypes.StoreCart; phone: string; providerId: string }
type View =
  | { name: "loading" }
  | { name: "broken"; message: string }
  | { name: "shop" }
  | ({ name: "pay"; notice?: string; error?: string; busy?: boolean; retry?: boolean } & Checkout)
  | ({ name: "waiting"; sessionId: string; deadline: number } & Checkout)
  | ({ name: "paid"; receipt?: string; order?: HttpTypes.StoreOrder; message: string } & Checkout)

let shop: Awaited<ReturnType<typeof loadShop>>
let view: View = { name: "loading" }
let poller: ReturnType<typeof setInterval> | undefined
const app = document.querySelector<HTMLDivElement>("#app")!

const kes = (amount: number) => `KES ${amount.toLocaleString("en-KE")}`

function show(next: View) {
  view = next
  if (poller && next.name !== "waiting") {
    clearInterval(poller)
    poller = undefined
  }
  app.replaceChildren(render(next))
}

function render(v: View): HTMLElement {
  switch (v.name) {
    case "loading":
      return h("p", { class: "muted" }, "Loading…")
    case "broken":
      return h("p", { class: "error", "data-testid": "shop-error" }, v.message)
    case "shop":
      return h(
        "section",
        {},
        h("h2", {}, "Pick something to buy"),
        h(
          "ul",
          { class: "products" },
          ...shop.products.map((product) =>
            h(
              "li",
              { class: "product", "data-testid": "product" },
              h("div", { class: "tile" }, product.title.slice(0, 1)),
              h("h3", {}, product.title),
              h("p", { class: "muted" }, product.description),
              button(`Buy — ${kes(product.price)}`, () => void buy(product))
            )
          )
        )
      )
    case "pay":
      return payForm(v)
    case "waiting":
      return waiting(v)
    case "paid":
      return h(
        "section",
        { class: "card", "data-testid": "confirmation" },
        h("p", { class: "big ok" }, "✓"),
        h("h2", {}, v.order ? `Thank you! Order #${v.order.display_id} is placed.` : "Payment received"),
        v.order ? h("p", {}, `${v.product.title} — ${kes(v.order.total)} paid with M-Pesa.`) : h("p", { "data-testid": "paid-message" }, v.message),
        v.receipt ? h("p", {}, "M-Pesa receipt ", h("strong", { "data-testid": "receipt" }, v.receipt)) : h("span", {}),
        button("Continue shopping", () => show({ name: "shop" }), "secondary")
      )
  }
}

function payForm(v: Extract<View, { name: "pay" }>): HTMLElement {
  const phone = h("input", {
    id: "phone",
    name: "phone",
    type: "tel",
    inputmode: "tel",
    autocomplete: "tel",
    placeholder: "0712 345 678",
    value: v.phone,
    "data-testid": "phone",
  }) as HTMLInputElement
  const gateways = shop.providers.map((id) =>
    h(
      "label",
      { class: "gateway" },
      h("input", { type: "radio", name: "gateway", value: id, ...(id === v.providerId ? { checked: "" } : {}), "data-testid": `gateway-${id}` }),
      ` M-Pesa via ${GATEWAY_NAMES[id] ?? id}`
    )
  )
  const form = h(
    "form",
    { class: "card", "data-testid": "pay-form" },
    h("h2", {}, v.product.title),
    h("p", { class: "muted" }, `${kes(v.cart.item_total)} + ${kes(v.cart.shipping_total)} delivery`),
    v.notice ? h("p", { class: "notice", "data-testid": "notice" }, v.notice) : h("span", {}),
    h("label", { for: "phone" }, "M-Pesa phone number"),
    phone,
    h("fieldset", {}, h("legend", {}, "Pay with"), ...gateways),
    v.error ? h("p", { class: "error", role: "alert", "data-testid": "pay-error" }, v.error) : h("span", {}),
    h(
      "button",
      { type: "submit", ...(v.busy ? { disabled: "" } : {}), "data-testid": "pay" },
      v.busy ? "Sending the prompt…" : v.retry ? "Send the prompt again" : `Pay ${kes(v.cart.total)} with M-Pesa`
    ),
    button("Back to the shop", () => show({ name: "shop" }), "secondary")
  )
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    const providerId = (form.querySelector("input[name=gateway]:checked") as HTMLInputElement | null)?.value ?? v.providerId
    void pay({ ...v, phone: phone.value, providerId })
  })
  return form
}

async function buy(product: Product) {
  show({ name: "loading" })
  try {
    const cart = await cartFor(shop.region.id, product.variantId)
    show({ name: "pay", product, cart, phone: "", providerId: shop.providers[0] })
  } catch (error) {
    show({ name: "broken", message: `The cart could not be created: ${refusalOf(error).message}` })
  }
}

async function pay(v: Extract<View, { name: "pay" }>) {
  show({ ...v, busy: true, error: undefined })
  const cart = v.cart!
  try {
    const sessionId = await sendPrompt(cart.id, v.providerId, v.phone)
    startWaiting({ ...v, cart }, sessionId)
  } catch (error) {
    const refusal = refusalOf(error)
    // 409: this cart already has a live prompt, or is paid — follow that payment instead.
    const live = refusal.status === 409 ? await currentSession(cart.id).catch(() => undefined) : undefined
    if (live) {
      startWaiting({ ...v, cart }, live)
      return
    }
    show({ ...v, busy: false, error: refusal.message })
  }
}

function startWaiting({ product, cart, phone, providerId }: Checkout, sessionId: string) {
  show({ name: "waiting", product, cart, phone, providerId, sessionId, deadline: Date.now() + PROMPT_SECONDS * 1000 })
  poller = setInterval(() => void tick(sessionId), POLL_EVERY_MS)
}

async function tick(sessionId: string) {
  if (view.name !== "waiting" || view.sessionId !== sessionId) {
    return
  }
  const current = view
  const countdown = document.querySelector("[data-testid=countdown]")
  if (countdown) {
    countdown.textContent = countdownText(current.deadline)
  }
  const status = await pollStatus(sessionId).catch(() => undefined)
  if (!status || view !== current || status.status === "pending") {
    return
  }
  const { product, cart, phone, providerId } = current
  if (status.status === "paid") {
    const order = await placeOrder(cart.id).catch(() => undefined)
    show({ name: "paid", product, cart, phone, providerId, order, receipt: status.receipt, message: status.message })
    return
  }
  // failed or expired: the shopper's words, and a new prompt on the same cart.
  show({ name: "pay", product, cart, phone, providerId, notice: status.message, retry: true })
}

function countdownText(deadline: number): string {
  const left = Math.max(0, Math.round((deadline - Date.now()) / 1000))
  return left > 0 ? `The prompt expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "Still waiting for M-Pesa…"
}

function waiting(v: Extract<View, { name: "waiting" }>): HTMLElement {
  return h(
    "section",
    { class: "card", "data-testid": "waiting" },
    h("div", { class: "spinner", "aria-hidden": "true" }),
    h("h2", {}, "Check your phone"),
    h("p", {}, `We sent an M-Pesa prompt to ${v.phone}. Enter your M-Pesa PIN to pay ${kes(v.cart.total)}.`),
    h("p", { class: "muted", "data-testid": "countdown", "aria-live": "polite" }, countdownText(v.deadline)),
    PHONE_PAGE ? h("p", { class: "muted" }, "Demo: the prompt shows on ", h("a", { href: PHONE_PAGE, target: "_blank" }, "the sandbox phone"), ".") : h("span", {})
  )
}

function button(label: string, onClick: () => void, kind = "primary"): HTMLElement {
  const element = h("button", { type: "button", class: kind }, label)
  element.addEventListener("click", onClick)
  return element
}

function h(tag: string, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElement {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "value") {
      ;(element as HTMLInputElement).value = value
    } else {
      element.setAttribute(name, value)
    }
  }
  element.append(...children)
  return element
}

loadShop().then(
  (loaded) => {
    shop = loaded
    show({ name: "shop" })
  },
  (error) => show({ name: "broken", message: `The shop could not load: ${refusalOf(error).message}` })
)
