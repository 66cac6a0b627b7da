// The demo's merchant desk (README, "The merchant's desk"): what `npm run demo` sets up, once the
// store answers, so that each desk feature has something to show on a fresh demo — through the
// store's and the admin's own HTTP APIs and the sandbox, as a shopper and a merchant would:
//
// - today's prompts, one per way a prompt ends (paid, cancelled, no answer, insufficient funds,
//   wrong PIN), for "How prompts end" (the seed wrote the two weeks before);
// - an order paid at checkout and then edited: it owes the added item (Request M-Pesa payment);
// - a draft order taken by phone (Request M-Pesa payment; paid, it becomes an order);
// - a forged callback (the callback log's "Matched no payment");
// - a Paybill payment in the sandbox's Lipwa account, made outside any prompt (Record a payment;
//   the M-Pesa page lists it under Needs attention with the order it pays).
//
// The first four are made once (kept in the demo's database); the sandbox forgets everything
// when it stops, so the Paybill payment is made again at each start until it is recorded — and
// so are the seed's two weeks of Lipwa payments (demo/store/seed.ts), which the sandbox's
// account must list for "Reconcile with the gateway" to come out clean.

/** Paid to the store's Lipwa Paybill by the customer of the edited order, for what it owes. */
const PAYBILL = { phone: "0722000111", receipt: "TLP4DEMO01" }

/**
 * Today's prompts: a magic number each (src/sandbox/magic-numbers.ts). Not 0700000000: the demo's
 * own walkthrough pays with it, and the per-phone limit (3 prompts in 5 minutes) is real here.
 */
const CHECKOUTS = [
  ["0700000006", "paid, its callback sent twice"],
  ["0700000005", "paid, its callback lost (the recovery job finds it)"],
  ["0700000001", "cancelled"],
  ["0700000002", "no answer"],
  ["0700000003", "insufficient funds"],
  ["0700000004", "wrong PIN"],
]

export async function setUpDesk({ backendUrl, publishableKey, regionId, admin, sandbox, stateFile, readState, writeState, say }) {
  const state = (await readState(stateFile)) ?? {}
  if (!state.done) {
    const api = client(backendUrl, publishableKey, await token(backendUrl, admin))
    const product = (await api.store("GET", `/store/products?region_id=${regionId}&limit=1&fields=*variants`)).products[0]
    const variantId = product.variants[0].id
    const sessions = []
    for (const [phone] of CHECKOUTS) {
      sessions.push(await checkout(api, { regionId, variantId, phone }))
    }
    // As a storefront follows its payment: the poll names the order once the cart became one.
    const orderId = await until(async () => (await api.store("GET", `/store/mpesa/payment-sessions/${sessions[0]}`)).order_id, 60_000)
    const paidOrder = (await api.admin("GET", `/admin/orders/${orderId}?fields=id,display_id`)).order
    // The customer rang to add a second item: the order now owes it.
    await api.admin("POST", "/admin/order-edits", { order_id: paidOrder.id })
    await api.admin("POST", `/admin/order-edits/${paidOrder.id}/items`, { items: [{ variant_id: variantId, quantity: 1 }] })
    await api.admin("POST", `/admin/order-edits/${paidOrder.id}/request`)
    await api.admin("POST", `/admin/order-edits/${paidOrder.id}/confirm`)
    const owes = (await api.admin("GET", `/admin/mpesa/orders/${paidOrder.id}`)).balance.outstanding
    // The storefront's own channel (the one its publishable key opens), which has the stock.
    const keys = (await api.admin("GET", "/admin/api-keys?type=publishable&fields=token,*sales_channels&limit=100")).api_keys
    const salesChannel = keys.find((key) => key.token === publishableKey).sales_channels[0]
    const draft = (
      await api.admin("POST", "/admin/draft-orders", {
        email: "phone-order@mpesa.demo",
        region_id: regionId,
        sales_channel_id: salesChannel.id,
        items: [{ variant_id: variantId, quantity: 2 }],
        shipping_address: { first_name: "Achieng", last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: "ke", phone: "0712345678" },
      })
    ).draft_order
    // Somebody who knows the callback URL's shape but not its secret.
    await fetch(`${backendUrl}/hooks/mpesa/lipia?attempt_id=mpatt_01FORGEDDEMO&sig=${"0".repeat(64)}`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "curl/8.5.0" },
      body: JSON.stringify({ response: { Status: "Success", ResultCode: 0, ResultDesc: "The service request is processed successfully.", MpesaReceiptNumber: "TLP4FORGED", Amount: 25000, Phone: "254712345678" } }),
    })
    Object.assign(state, { done: true, edited_owes: owes, edited_order: paidOrder.display_id, edited_order_id: paidOrder.id, draft_order: draft.display_id, draft_order_id: draft.id })
    await writeState(stateFile, state)
  }
  const headers = await adminHeaders(backendUrl, admin)
  const get = (url) => fetch(`${backendUrl}${url}`, { headers }).then((r) => r.json())
  const recorded = await get(`/admin/mpesa/attempts?q=${PAYBILL.receipt}`)
  // What is still to do (a second start finds the merchant's earlier work done).
  const [edited, draft] = await Promise.all([get(`/admin/mpesa/orders/${state.edited_order_id}`), get(`/admin/mpesa/orders/${state.draft_order_id}`)])
  await replaySeededHistory(get, sandbox)
  if (!recorded.attempts?.length) {
    sandbox.recordTillPayment({ ...PAYBILL, amount: state.edited_owes })
  }
  say("merchant's desk set up: an edited order that owes, a draft order, a Paybill payment to record, a forged callback, today's prompts")
  return {
    ...state,
    edited_still_owes: edited.balance?.outstanding ?? 0,
    draft_still_draft: !!draft.balance?.draft,
    paybill: { ...PAYBILL, amount: state.edited_owes },
    paybill_recorded: !!recorded.attempts?.length,
  }
}

/**
 * The seed's Lipwa payments, as the Lipwa account lists them: each receipt, amount and date in
 * the sandbox's transactions (dated in the past, as a till payment may be). The ledger's rows say
 * they were resolved by the seed, so reconciling counts them as settled, not as news.
 */
async function replaySeededHistory(get, sandbox) {
  const known = new Set(sandbox.payments().map((p) => p.receipt))
  for (let offset = 0; ; offset += 200) {
    const page = await get(`/admin/mpesa/attempts?gateway=lipwa&state=paid&limit=200&offset=${offset}`)
    for (const a of page.attempts ?? []) {
      if (a.resolved_by === "demo seed" && a.receipt && !known.has(a.receipt)) {
        // The seed kept only the masked phone (2547******NN); any Safaricom number ending the same stands in.
        sandbox.recordTillPayment({ phone: `07120000${a.phone_masked.slice(-2)}`, amount: a.amount_paid, receipt: a.receipt, paidAt: a.settled_at ?? a.pushed_at })
      }
    }
    if (!page.attempts || offset + 200 >= page.count) {
      return
    }
  }
}

async function checkout(api, { regionId, variantId, phone }) {
  const { cart } = await api.store("POST", "/store/carts", {
    region_id: regionId,
    email: "shopper@mpesa.demo",
    items: [{ variant_id: variantId, quantity: 1 }],
    shipping_address: { first_name: "Wanjiru", last_name: "Kamau", address_1: "Kenyatta Avenue 10", city: "Nairobi", country_code: "ke", phone },
  })
  const option = (await api.store("GET", `/store/shipping-options?cart_id=${cart.id}`)).shipping_options[0]
  await api.store("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: option.id })
  const { payment_collection } = await api.store("POST", "/store/payment-collections", { cart_id: cart.id })
  const started = await api.store("POST", `/store/payment-collections/${payment_collection.id}/payment-sessions`, {
    provider_id: "pp_mpesa-lipia_lipia",
    data: { phone_number: phone },
  })
  return started.payment_collection.payment_sessions[0].id
}

async function token(backendUrl, admin) {
  const res = await fetch(`${backendUrl}/auth/user/emailpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) })
  if (!res.ok) {
    throw new Error(`the demo's admin could not log in (HTTP ${res.status})`)
  }
  return (await res.json()).token
}

async function adminHeaders(backendUrl, admin) {
  return { authorization: `Bearer ${await token(backendUrl, admin)}` }
}

function client(backendUrl, publishableKey, bearer) {
  const call = (headers) => async (method, url, body) => {
    const res = await fetch(`${backendUrl}${url}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json = await res.json().catch(() => ({}))
    if (!res.ok) {
      throw new Error(`${method} ${url}: HTTP ${res.status} ${json.message ?? ""}`)
    }
    return json
  }
  return { store: call({ "x-publishable-api-key": publishableKey }), admin: call({ authorization: `Bearer ${bearer}` }) }
}

async function until(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) {
      return value
    }
    if (Date.now() > deadline) {
      throw new Error("the demo's first checkout did not become an order in time")
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
