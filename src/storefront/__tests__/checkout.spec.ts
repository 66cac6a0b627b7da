import type { MpesaCheckoutEvent, MpesaCheckoutState, MpesaStatus } from "../checkout"
import {
  SEND_AGAIN,
  completionPlacedOrder,
  formatCountdown,
  formatKes,
  initialMpesaCheckout,
  liveMpesaSession,
  mpesaCheckoutReducer,
  mpesaPaymentInfo,
  mpesaPaymentMethods,
  mpesaPhoneOf,
  mpesaReceipt,
  mpesaTitle,
  secondsLeft,
  withMpesaTitles,
} from "../checkout"

const LIPIA = "pp_mpesa-lipia_lipia"
const LIPWA = "pp_mpesa-lipwa_lipwa"
const status = (s: Partial<MpesaStatus> & Pick<MpesaStatus, "status">): MpesaStatus => ({ id: "ps_1", message: `${s.status} words`, ...s })
const waiting: MpesaCheckoutState = { phase: "waiting", sessionId: "ps_1", phone: "2547******78" }
const paid: MpesaCheckoutState = { phase: "paid", sessionId: "ps_1", receipt: "QK1", message: "Payment received. Thank you!" }
const idleAfterCancel: MpesaCheckoutState = { phase: "idle", error: "The payment was cancelled on your phone." }

describe("the M-Pesa step's states", () => {
  const cells: [string, MpesaCheckoutState, MpesaCheckoutEvent, Partial<MpesaCheckoutState>][] = [
    ["Pay starts sending", initialMpesaCheckout, { type: "send" }, { phase: "sending", error: undefined }],
    ["Send again keeps the last words until the answer", idleAfterCancel, { type: "send" }, { phase: "sending", error: idleAfterCancel.error }],
    ["a second press while sending changes nothing", { phase: "sending" }, { type: "send" }, { phase: "sending" }],
    ["a second press while waiting changes nothing", waiting, { type: "send" }, waiting],
    ["a sent prompt is waited on", { phase: "sending" }, { type: "started", result: { ok: true, session_id: "ps_2", provider_id: LIPIA, phone: "2547******00" } }, { phase: "waiting", sessionId: "ps_2", providerId: LIPIA, phone: "2547******00", error: undefined }],
    ["a refusal shows the plugin's words", { phase: "sending" }, { type: "refused", message: "0733000000 is an Airtel number." }, { phase: "idle", error: "0733000000 is an Airtel number." }],
    ["pending keeps waiting, with the plugin's words and the expiry", waiting, { type: "status", status: status({ status: "pending", expires_at: "2026-12-03T10:02:00.000Z" }) }, { phase: "waiting", message: "pending words", expiresAt: Date.parse("2026-12-03T10:02:00.000Z") }],
    ["paid shows the receipt", waiting, { type: "status", status: status({ status: "paid", receipt: "QK9" }) }, { phase: "paid", receipt: "QK9", orderId: undefined }],
    ["the order id arrives while paid", paid, { type: "status", status: status({ status: "paid", order_id: "order_1" }) }, { phase: "paid", receipt: "QK1", orderId: "order_1" }],
    ["a cancelled prompt goes back to the form with its words", waiting, { type: "status", status: status({ status: "failed", message: "The payment was cancelled on your phone." }) }, { phase: "idle", sessionId: undefined, error: "The payment was cancelled on your phone." }],
    ["an expired prompt goes back to the form with its words", waiting, { type: "status", status: status({ status: "expired" }) }, { phase: "idle", sessionId: undefined, error: "expired words" }],
    ["a late pending never takes back a payment", paid, { type: "status", status: status({ status: "pending" }) }, paid],
    ["a late failure never takes back a payment", paid, { type: "status", status: status({ status: "failed" }) }, paid],
    ["another session's status is ignored", waiting, { type: "status", status: status({ id: "ps_old", status: "failed" }) }, waiting],
    ["a status after the shopper left the wait is ignored", idleAfterCancel, { type: "status", status: status({ status: "paid" }) }, idleAfterCancel],
    ["a reload during a live prompt waits again", initialMpesaCheckout, { type: "resume", sessionId: "ps_1", phone: "2547******78", status: status({ status: "pending" }) }, { phase: "waiting", sessionId: "ps_1", phone: "2547******78" }],
    ["a reload after the payment follows it to the order", initialMpesaCheckout, { type: "resume", sessionId: "ps_1", status: status({ status: "paid", receipt: "QK2" }) }, { phase: "paid", receipt: "QK2" }],
    ["another option's live prompt is followed, and says whose it is", initialMpesaCheckout, { type: "resume", sessionId: "ps_1", providerId: LIPWA, status: status({ status: "pending" }) }, { phase: "waiting", sessionId: "ps_1", providerId: LIPWA }],
    ["an ended prompt with no words of its own says to send it again", waiting, { type: "status", status: status({ status: "failed", message: "" }) }, { phase: "idle", error: `The M-Pesa payment did not go through. ${SEND_AGAIN}.` }],
    ["a reload after a prompt ended starts clean", initialMpesaCheckout, { type: "resume", sessionId: "ps_1", status: status({ status: "failed" }) }, initialMpesaCheckout],
  ]

  it.each(cells)("%s", (_what, state, event, expected) => {
    const next = mpesaCheckoutReducer(state, event)
    expect(next).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)))
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) {
        expect(next[key as keyof MpesaCheckoutState]).toBeUndefined()
      }
    }
  })

  it("never leaves paid, whatever status follows", () => {
    for (const s of ["pending", "failed", "expired", "paid"] as const) {
      expect(mpesaCheckoutReducer(paid, { type: "status", status: status({ status: s }) }).phase).toBe("paid")
    }
  })
})

describe("the countdown", () => {
  it.each([
    [undefined, 0, undefined],
    [10_000, 0, 10],
    [10_000, 9_001, 1],
    [10_000, 10_000, 0],
    [10_000, 99_000, 0],
  ])("expires at %p, now %p → %p s", (expiresAt, now, left) => {
    expect(secondsLeft(expiresAt, now)).toBe(left)
  })

  it.each([
    [120, "2:00"],
    [65, "1:05"],
    [9, "0:09"],
  ])("%p s reads %p", (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text)
  })
})

describe("naming the M-Pesa options", () => {
  it.each([
    [LIPIA, [LIPIA, "pp_system_default"], "M-Pesa"],
    [LIPIA, [LIPIA, LIPWA], "M-Pesa (Lipia)"],
    [LIPWA, [{ id: LIPIA }, { id: LIPWA }], "M-Pesa (Lipwa)"],
    ["pp_mpesa-lipwa_shop2", [LIPIA, "pp_mpesa-lipwa_shop2"], "M-Pesa (Lipwa)"],
    [LIPIA, [], "M-Pesa"],
  ])("%s among %j is %p", (id, offered, title) => {
    expect(mpesaTitle(id, offered)).toBe(title)
  })

  it("gives the starter's map both providers, and names them apart when both are offered", () => {
    const map = { pp_system_default: { title: "Manual Payment", icon: "card" }, ...mpesaPaymentInfo("phone") }
    expect(map[LIPIA]).toEqual({ title: "M-Pesa", icon: "phone" })

    const named = withMpesaTitles(map, [{ id: LIPIA }, { id: LIPWA }, { id: "pp_system_default" }])
    expect(named[LIPIA].title).toBe("M-Pesa (Lipia)")
    expect(named[LIPWA].title).toBe("M-Pesa (Lipwa)")
    expect(named.pp_system_default.title).toBe("Manual Payment")
    expect(withMpesaTitles(map, [{ id: LIPWA }])[LIPWA].title).toBe("M-Pesa")
  })

  it("adds a provider registered under another id, with the map's M-Pesa icon", () => {
    const named = withMpesaTitles(mpesaPaymentInfo("phone"), ["pp_mpesa-lipwa_shop2"])
    expect(named["pp_mpesa-lipwa_shop2"]).toEqual({ title: "M-Pesa", icon: "phone" })
  })
})

describe("one M-Pesa option unless the merchant names several", () => {
  const MANUAL = "pp_system_default"
  const offered = (...ids: string[]) => ids.map((id) => ({ id }))
  it.each<[string, string[], Parameters<typeof mpesaPaymentMethods>[1], string[]]>([
    ["both aggregators: Lipia's, whose failures say what happened", [MANUAL, LIPWA, LIPIA], {}, [MANUAL, LIPIA]],
    ["only Lipwa: Lipwa's", [LIPWA, MANUAL], {}, [LIPWA, MANUAL]],
    ["no M-Pesa: the list as is", [MANUAL], {}, [MANUAL]],
    ["the merchant prefers a gateway", [LIPIA, LIPWA, MANUAL], { prefer: "lipwa" }, [LIPWA, MANUAL]],
    ["the merchant prefers a provider id", [LIPIA, "pp_mpesa-lipwa_shop2", LIPWA], { prefer: "pp_mpesa-lipwa_shop2" }, ["pp_mpesa-lipwa_shop2"]],
    ["a preference not offered falls back to the default", [LIPWA, LIPIA], { prefer: "pp_mpesa-lipwa_gone" }, [LIPIA]],
    ["a gateway of its own ranks after the two known", ["pp_mpesa-other_x", LIPWA], {}, [LIPWA]],
    ["named ones are all offered, in the region's order", [LIPWA, MANUAL, LIPIA], { names: { [LIPIA]: "M-Pesa", [LIPWA]: "M-Pesa Paybill" } }, [LIPWA, MANUAL, LIPIA]],
    ["names for providers not offered fall back to one", [LIPWA, LIPIA], { names: { "pp_mpesa-lipwa_gone": "Paybill" } }, [LIPIA]],
  ])("%s", (_what, ids, choice, shown) => {
    expect(mpesaPaymentMethods(offered(...ids), choice).map((p) => p.id)).toEqual(shown)
    expect(mpesaPaymentMethods(ids, choice)).toEqual(shown)
  })

  it("names the one option offered \"M-Pesa\", and named ones as the merchant wrote", () => {
    const map = { pp_system_default: { title: "Manual Payment", icon: "card" }, ...mpesaPaymentInfo("phone") }
    const one = mpesaPaymentMethods(offered(LIPIA, LIPWA, MANUAL))
    expect(withMpesaTitles(map, one)[LIPIA].title).toBe("M-Pesa")

    const choice = { names: { [LIPIA]: "M-Pesa", [LIPWA]: "M-Pesa Paybill" } }
    const both = mpesaPaymentMethods(offered(LIPIA, LIPWA, MANUAL), choice)
    const named = withMpesaTitles(map, both, choice)
    expect([named[LIPIA].title, named[LIPWA].title, named[MANUAL].title]).toEqual(["M-Pesa", "M-Pesa Paybill", "Manual Payment"])
  })
})

describe("completing the cart once", () => {
  // What Next.js rejects a server action's promise with when the action redirected.
  const nextRedirect = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;push;/ke/order/order_1/confirmed;307;" })
  it.each<[string, { value: unknown } | { error: unknown }, boolean]>([
    ["placeOrder redirected to the confirmation", { error: nextRedirect }, true],
    ["a redirect known by its digest only", { error: { digest: "NEXT_REDIRECT;replace;/x;303;" } }, true],
    ["cart.complete's answer: an order", { value: { type: "order", order: { id: "order_1" } } }, true],
    ["an order returned as { order }", { value: { order: { id: "order_1" } } }, true],
    ["the cart came back (the callback is still placing the order)", { value: { id: "cart_1", items: [] } }, false],
    ["cart.complete's answer: the cart", { value: { type: "cart", cart: { id: "cart_1" } } }, false],
    ["nothing returned", { value: undefined }, false],
    ["refused (not paid yet)", { error: new Error("Payment authorization failed") }, false],
    ["a rejection with no error", { error: undefined }, false],
  ])("%s → placed: %p", (_what, outcome, placed) => {
    expect(completionPlacedOrder(outcome)).toBe(placed)
  })
})

describe("reading a cart and an order", () => {
  it("finds the receipt of an M-Pesa payment only", () => {
    expect(mpesaReceipt({ provider_id: LIPWA, data: { receipt: "QK7XYZ" } })).toBe("QK7XYZ")
    expect(mpesaReceipt({ provider_id: "pp_system_default", data: { receipt: "QK7XYZ" } })).toBeUndefined()
    expect(mpesaReceipt({ provider_id: LIPWA, data: {} })).toBeUndefined()
    expect(mpesaReceipt(undefined)).toBeUndefined()
  })

  it("prefills the phone from the shipping address, then the billing address", () => {
    expect(mpesaPhoneOf({ shipping_address: { phone: " 0712345678 " }, billing_address: { phone: "0799" } })).toBe("0712345678")
    expect(mpesaPhoneOf({ shipping_address: { phone: "" }, billing_address: { phone: "0799" } })).toBe("0799")
    expect(mpesaPhoneOf({})).toBe("")
  })

  it("follows a live or paid M-Pesa session, not an ended one or another provider's", () => {
    const cart = (sessions: { id: string; provider_id: string; data: Record<string, unknown> }[]) => ({ payment_collection: { payment_sessions: sessions } })
    expect(liveMpesaSession(cart([{ id: "a", provider_id: LIPIA, data: { state: "pending" } }]))?.id).toBe("a")
    expect(liveMpesaSession(cart([{ id: "a", provider_id: LIPIA, data: { state: "pushing" } }]), LIPIA)?.id).toBe("a")
    expect(liveMpesaSession(cart([{ id: "a", provider_id: LIPIA, data: { state: "paid" } }]))?.id).toBe("a")
    expect(liveMpesaSession(cart([{ id: "a", provider_id: LIPIA, data: { state: "failed" } }]))).toBeUndefined()
    expect(liveMpesaSession(cart([{ id: "a", provider_id: LIPIA, data: { state: "pending" } }]), LIPWA)).toBeUndefined()
    expect(liveMpesaSession(cart([{ id: "a", provider_id: "pp_system_default", data: { state: "pending" } }]))).toBeUndefined()
  })

  it("shows whole shillings", () => {
    expect(formatKes(1000)).toBe("KES 1,000")
    expect(formatKes(99.5)).toBe("KES 100")
  })
})
