import { execFileSync, spawn, type ChildProcess } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import path from "node:path"

import axios, { type AxiosInstance } from "axios"
import { Client } from "pg"
import { chromium, type Browser, type Page } from "playwright-core"

import { startSandbox, type Sandbox } from "../../src/sandbox"
import { LIPIA } from "../fixtures/mpesa"
import { prepareCart, storeApi, type SeededStore } from "../fixtures/store"
import { freePort, until } from "./processes"

jest.setTimeout(900_000)

/**
 * The admin payment view in real Chromium, against a real server (`medusa develop` with the
 * admin on), real PostgreSQL, the built plugin and the sandbox: a paid order shows its M-Pesa
 * panel; a payment paid after its cart changed shows under "Needs attention" and is resolved
 * with a note. Screenshots go to .tmp/screenshots (git-ignored).
 */
const root = path.resolve(__dirname, "../..")
const app = path.join(__dirname, "app")
const shots = path.join(root, ".tmp", "screenshots")
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
const ADMIN = { email: "admin@example.com", password: "supersecret-browser-test" }

let sandbox: Sandbox
let server: ChildProcess | undefined
let browser: Browser
let base: string
let database: string
let seed: SeededStore
let http: AxiosInstance

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  sandbox = await startSandbox({ approveDelayMs: 300 })
  const port = await freePort()
  base = `http://localhost:${port}`
  database = `mpesa_browser_${Date.now()}`
  const pg = new Client({ host: "localhost", port: Number(process.env.DB_PORT), user: process.env.DB_USERNAME, password: process.env.DB_PASSWORD, database: "postgres" })
  await pg.connect()
  await pg.query(`CREATE DATABASE "${database}"`)
  await pg.end()

  // The store imports the plugin's admin by package name: let it resolve to this checkout.
  const link = path.join(app, "node_modules", "medusa-plugin-mpesa")
  mkdirSync(path.dirname(link), { recursive: true })
  rmSync(link, { force: true })
  symlinkSync(root, link, "dir")

  const env = {
    ...process.env,
    DATABASE_URL: `postgres://${process.env.DB_USERNAME}:${process.env.DB_PASSWORD}@localhost:${process.env.DB_PORT}/${database}`,
    PORT: String(port),
    MPESA_SANDBOX_URL: sandbox.url,
    MEDUSA_DISABLE_TELEMETRY: "true",
    NODE_ENV: "development",
  }
  const medusa = (...args: string[]) => execFileSync("npx", ["medusa", ...args], { cwd: app, env, stdio: "inherit" })
  medusa("db:migrate")
  medusa("user", "-e", ADMIN.email, "-p", ADMIN.password)
  medusa("exec", "./seed.ts")
  seed = JSON.parse(readFileSync(path.join(app, "seed.json"), "utf8"))

  server = spawn("npx", ["medusa", "develop"], { cwd: app, env, stdio: "inherit", detached: true })
  await until(async () => (await axios.get(`${base}/health`).catch(() => undefined))?.status === 200, 180_000)
  http = axios.create({ baseURL: base, validateStatus: () => true })

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  })
  // The first admin load on a fresh machine waits for Vite to pre-bundle the dashboard (minutes
  // on two cores): pay that once here, not inside a test's navigation timeout.
  const warm = await browser.newPage()
  await warm.goto(`${base}/app/login`, { timeout: 480_000 })
  await warm.locator('input[name="email"]').waitFor({ timeout: 480_000 })
  await warm.close()
})

afterAll(async () => {
  await browser?.close()
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM")
    } catch {
      // already gone
    }
  }
  await sandbox?.close()
  rmSync(path.join(app, "seed.json"), { force: true })
})

describe("the M-Pesa admin view in a real browser", () => {
  it("shows a paid order's receipt and amount in the order panel", async () => {
    const store = storeApi(http, seed.publishableKey)
    const { cart, paymentCollectionId } = await prepareCart(store, seed)
    expect((await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })).status).toBe(200)
    const attempt = await adminAttemptFor(cart.id, (a) => !!a.order_id)

    const page = await loggedIn()
    await page.goto(`${base}/app/orders/${attempt.order_id}`)
    const receipt = page.getByTestId("mpesa-receipt")
    await receipt.waitFor({ timeout: 120_000 })

    expect(await receipt.textContent()).toBe(attempt.receipt)
    expect(await page.getByTestId("mpesa-amount").textContent()).toBe(`KES ${cart.total.toLocaleString("en-KE")} of KES ${cart.total.toLocaleString("en-KE")}`)
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "order-panel.png") })
    await page.screenshot({ path: path.join(shots, "order-page.png"), fullPage: true })
    await page.close()
  })

  it("lists a payment made after its cart changed under Needs attention, and resolves it with a note", async () => {
    const store = storeApi(http, seed.publishableKey)
    const { cart, paymentCollectionId } = await prepareCart(store, seed)
    const started = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })
    const reference = (started.data as any).payment_collection.payment_sessions[0].data.reference
    // The shopper adds an item (Medusa deletes the session), then pays the prompt still on the phone.
    await http.post(`/store/carts/${cart.id}/line-items`, { variant_id: seed.variant.id, quantity: 1 }, { headers: { "x-publishable-api-key": seed.publishableKey } })
    await sandbox.settle(reference, "success")
    const attempt = await adminAttemptFor(cart.id, (a) => a.paid_without_order)

    const page = await loggedIn()
    await page.goto(`${base}/app/mpesa`)
    const row = page.getByTestId("mpesa-attention-row").filter({ hasText: attempt.receipt })
    await row.waitFor({ timeout: 120_000 })
    await page.screenshot({ path: path.join(shots, "mpesa-page.png"), fullPage: true })

    // The button waits for the note, and says so rather than sitting greyed out.
    expect(await row.getByRole("button", { name: "Mark resolved" }).isDisabled()).toBe(true)
    await row.getByRole("textbox").fill("ok")
    expect(await row.getByTestId("mpesa-note-hint").textContent()).toMatch(/needs a note of at least 3 characters \(2 typed\)/)
    await row.getByRole("textbox").fill("Reversed in the M-Pesa portal, ref R-1001")
    expect(await row.getByTestId("mpesa-note-hint").count()).toBe(0)
    await row.getByRole("button", { name: "Mark resolved" }).click()
    await page.getByText("Nothing needs your attention.").waitFor({ timeout: 60_000 })

    const after = await adminAttemptFor(cart.id, () => true)
    expect(after).toMatchObject({ resolution_note: "Reversed in the M-Pesa portal, ref R-1001", attention: [] })
    await page.screenshot({ path: path.join(shots, "mpesa-page-resolved.png"), fullPage: true })
    await page.close()
  })

  it("tests the store's public callback URL from the set-up check and finds it reachable", async () => {
    const page = await loggedIn()
    await page.goto(`${base}/app/mpesa`)
    const lipia = page.getByTestId("mpesa-setup-provider").filter({ hasText: LIPIA })
    await lipia.waitFor({ timeout: 120_000 })

    await lipia.getByRole("button", { name: "Test callback URL" }).click()
    const result = lipia.getByTestId("mpesa-callback-test")
    await result.waitFor({ timeout: 30_000 })

    expect(await result.textContent()).toMatch(/^Reachable/)
    await page.getByTestId("mpesa-setup").screenshot({ path: path.join(shots, "setup-check.png") })
    await page.close()
  })
})

describe("the merchant's desk in a real browser", () => {
  it("requests a payment for what an edited order owes, follows the prompt, and sees it paid", async () => {
    // Each paying number at most three times in five minutes (the per-phone limit is on here).
    const { orderId, owes } = await editedOrder("0700000000")
    expect(owes).toBeGreaterThan(0)
    const page = await loggedIn()
    await page.goto(`${base}/app/orders/${orderId}`)
    const request = page.getByTestId("mpesa-request")
    await request.waitFor({ timeout: 120_000 })
    expect(await page.getByTestId("mpesa-test-mode").textContent()).toMatch(/Sandbox — no real money/)
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-request.png") })

    // The order's number is prefilled; the merchant types the one the customer gave on the phone (a number the sandbox never settles by itself).
    await request.getByLabel("Customer's M-Pesa number").fill("0700000010")
    await request.getByRole("button", { name: `Send prompt for KES ${owes.toLocaleString("en-KE")}` }).click()
    await page.getByTestId("mpesa-request-live").waitFor({ timeout: 60_000 })
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-request-waiting.png") })

    const headers = await adminBearer()
    const waiting = (await http.get(`/admin/mpesa/orders/${orderId}`, { headers })).data.attempts.find((a: any) => a.origin === "admin_request")
    await sandbox.settle(waiting.reference, "success")
    // Paid: the panel follows it by itself (no reload), and the order owes nothing.
    await page.getByTestId("mpesa-outstanding").waitFor({ state: "detached", timeout: 60_000 })
    const attempt = page.getByTestId("mpesa-attempt").filter({ hasText: "requested from the admin" })
    await attempt.getByText("Paid").first().waitFor({ timeout: 30_000 })
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-request-paid.png") })
    expect((await http.get(`/admin/mpesa/orders/${orderId}`, { headers })).data.balance.outstanding).toBe(0)
    await page.close()
  })

  it("requests a payment on a draft order; paid, the draft becomes an order", async () => {
    const headers = await adminBearer()
    const created = await http.post(
      "/admin/draft-orders",
      {
        email: "phone-order@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 2 }],
        shipping_address: { first_name: "Achieng", last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: seed.countries[0], phone: "0700000006" },
      },
      { headers }
    )
    expect(created.status).toBe(200)
    const draftId = created.data.draft_order.id

    const page = await loggedIn()
    await page.goto(`${base}/app/draft-orders/${draftId}`)
    const request = page.getByTestId("mpesa-request")
    await request.waitFor({ timeout: 120_000 })
    expect(await request.getByLabel("Customer's M-Pesa number").inputValue()).toBe("0700000006")
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-draft.png") })
    await request.getByRole("button", { name: /^Send prompt for KES/ }).click()

    // 0700000006 pays at once (its callback comes twice): the draft is converted, once.
    await until(async () => (await http.get(`/admin/orders/${draftId}?fields=id,is_draft_order,status`, { headers })).data.order?.is_draft_order === false, 60_000)
    await page.goto(`${base}/app/orders/${draftId}`)
    await page.getByTestId("mpesa-receipt").waitFor({ timeout: 120_000 })
    expect(await page.getByTestId("mpesa-receipt").textContent()).toMatch(/^[A-Z0-9]{10}$/)
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-draft-paid.png") })
    await page.close()
  })

  it("records a Paybill payment by its receipt: Lipwa finds it, and the order owes nothing", async () => {
    const { orderId, owes } = await editedOrder("0700000006")
    // The customer paid the store's Paybill from their phone; the receipt is in their SMS.
    const paybill = sandbox.recordTillPayment({ phone: "0722000111", amount: owes })
    const page = await loggedIn()
    await page.goto(`${base}/app/orders/${orderId}`)
    const form = page.getByTestId("mpesa-record")
    await form.waitFor({ timeout: 120_000 })
    await form.getByRole("button", { name: "Record a payment made outside the prompt…" }).click()
    await form.getByRole("combobox", { name: "Gateway" }).click()
    await page.getByRole("option", { name: "Lipwa" }).click()
    await form.getByLabel("M-Pesa receipt").fill(paybill.receipt!)
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-record.png") })
    await form.getByRole("button", { name: "Record payment" }).click()

    await page.getByTestId("mpesa-outstanding").waitFor({ state: "detached", timeout: 60_000 })
    const recorded = page.getByTestId("mpesa-attempt").filter({ hasText: "recorded by receipt" })
    await recorded.waitFor({ timeout: 30_000 })
    expect(await recorded.textContent()).toContain("Paid — recorded by receipt")
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-record-paid.png") })
    await page.close()
  })

  it("accepts an unverified Lipia payment from the M-Pesa page: the draft it was asked for becomes an order, paid with VAT", async () => {
    const headers = await adminBearer()
    const created = await http.post(
      "/admin/draft-orders",
      {
        email: "unverified@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 1 }],
        shipping_address: { first_name: "Wanjiru", last_name: "Kamau", address_1: "Kenyatta Avenue 2", city: "Nairobi", country_code: seed.countries[0], phone: "0700000000" },
      },
      { headers }
    )
    expect(created.status).toBe(200)
    const draftId = created.data.draft_order.id
    const shown = (await http.get(`/admin/draft-orders/${draftId}?fields=id,total,tax_total`, { headers })).data.draft_order
    const total = Number(shown.total)
    expect(Number(shown.tax_total)).toBeGreaterThan(0)

    const page = await loggedIn()
    await page.goto(`${base}/app/draft-orders/${draftId}`)
    const request = page.getByTestId("mpesa-request")
    await request.waitFor({ timeout: 120_000 })
    // The prompt reaches the phone, but Lipia's answer to the push comes after the store's 5 s timeout.
    sandbox.injectFault({ api: "lipia", path: "/payments/stk-push", mode: "delay", delayMs: 6_500 })
    await request.getByRole("combobox", { name: "Gateway" }).click()
    await page.getByRole("option", { name: /Lipia/ }).click()
    await request.getByRole("button", { name: `Send prompt for KES ${total.toLocaleString("en-KE")}` }).click()

    // Paid on the phone; Lipia's callback cannot be confirmed by its status API: an unverified claim.
    let claim: any
    await until(async () => {
      const desk = await http.get(`/admin/mpesa/orders/${draftId}`, { headers })
      claim = desk.data.attempts?.find((a: any) => a.unverified)
      return !!claim
    }, 90_000)
    await page.goto(`${base}/app/mpesa`)
    const row = page.getByTestId("mpesa-attention-row").filter({ hasText: claim.receipt })
    await row.waitFor({ timeout: 120_000 })
    await row.getByRole("textbox").fill("Seen in the Lipia portal")
    await page.screenshot({ path: path.join(shots, "desk-accept.png"), fullPage: true })
    await row.getByTestId("mpesa-accept-claim").click()
    await row.waitFor({ state: "detached", timeout: 60_000 })

    await until(async () => (await http.get(`/admin/orders/${draftId}?fields=id,is_draft_order`, { headers })).data.order?.is_draft_order === false, 60_000)
    await page.goto(`${base}/app/orders/${draftId}`)
    const accepted = page.getByTestId("mpesa-attempt").filter({ hasText: "accepted on the merchant's word" })
    await accepted.waitFor({ timeout: 120_000 })
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "desk-accepted.png") })
    expect((await http.get(`/admin/mpesa/orders/${draftId}`, { headers })).data.balance).toMatchObject({ outstanding: 0, total })
    await page.close()
  })

  it("opens a forged callback from the callback log, and reads how prompts end", async () => {
    const forged = await http.post(
      `/hooks/mpesa/lipia?attempt_id=mpatt_01FORGEDBROWSER&sig=${"0".repeat(64)}`,
      { response: { Status: "Success", ResultCode: 0, MpesaReceiptNumber: "TLP4FORGED", Amount: 25000, Phone: "254712345678" } },
      { headers: { "user-agent": "curl/8.5.0" } }
    )
    expect(forged.status).toBe(401)

    const page = await loggedIn()
    await page.goto(`${base}/app/mpesa`)
    const log = page.getByTestId("mpesa-callbacks")
    await log.waitFor({ timeout: 120_000 })
    await log.getByRole("combobox", { name: "Which callbacks" }).click()
    await page.getByRole("option", { name: "Matched no payment" }).click()
    const row = log.getByTestId("mpesa-callback-row").filter({ hasText: "mpatt_01FORGEDBROWSER" })
    await row.click()
    const body = log.getByTestId("mpesa-callback-body")
    await body.waitFor({ timeout: 30_000 })
    const text = await body.textContent()
    expect(text).toContain("Signature invalid")
    expect(text).toContain("TLP4FORGED")
    expect(text).toContain("2547******78")
    expect(text).not.toContain("254712345678")
    await log.screenshot({ path: path.join(shots, "desk-callbacks.png") })

    // A prompt the shopper cancels on Lipwa, which reports the failure with no reason: charted as "Other", and said why.
    const store = storeApi(http, seed.publishableKey)
    const { cart, paymentCollectionId } = await prepareCart(store, seed)
    expect((await store.initiatePaymentSession(paymentCollectionId, "pp_mpesa-lipwa_lipwa", { phone_number: "0700000001" })).status).toBe(200)
    await adminAttemptFor(cart.id, (a) => a.state === "failed")
    await page.reload()
    const chart = page.getByTestId("mpesa-outcomes")
    const lipwa = chart.locator('[data-gateway="lipwa"]')
    await lipwa.locator("svg").waitFor({ timeout: 120_000 })
    expect(await chart.textContent()).toMatch(/Paid/)
    // Each day's count is written on its bar, not only in the hover text.
    const counts = await lipwa.getByTestId("mpesa-outcomes-count").allTextContents()
    expect(counts.length).toBeGreaterThan(0)
    const headline = Number((await lipwa.textContent())!.match(/(\d+)\s*prompts/)![1])
    expect(counts.reduce((sum, n) => sum + Number(n), 0)).toBeLessThanOrEqual(headline)
    expect(await chart.getByTestId("mpesa-outcomes-other").textContent()).toMatch(/Lipwa: \d+.*gave no reason/)
    await chart.screenshot({ path: path.join(shots, "desk-outcomes.png") })
    await page.close()
  })
})

async function adminBearer(): Promise<Record<string, string>> {
  const { data } = await http.post("/auth/user/emailpass", ADMIN)
  return { Authorization: `Bearer ${data.token}` }
}

async function loggedIn(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.setDefaultNavigationTimeout(120_000)
  await page.goto(`${base}/app/login`)
  await page.locator('input[name="email"]').fill(ADMIN.email, { timeout: 240_000 })
  await page.locator('input[name="password"]').fill(ADMIN.password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(/\/app\/orders/, { timeout: 120_000 })
  return page
}

/** An order paid at checkout (a number the sandbox approves), then edited (one more item): it owes that item. */
async function editedOrder(checkoutPhone: string): Promise<{ orderId: string; owes: number }> {
  const store = storeApi(http, seed.publishableKey)
  const { cart, paymentCollectionId } = await prepareCart(store, seed)
  expect((await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: checkoutPhone })).status).toBe(200)
  const attempt = await adminAttemptFor(cart.id, (a) => !!a.order_id)
  const headers = await adminBearer()
  const orderId = attempt.order_id
  for (const [url, body] of [
    ["/admin/order-edits", { order_id: orderId }],
    [`/admin/order-edits/${orderId}/items`, { items: [{ variant_id: seed.variant.id, quantity: 1 }] }],
    [`/admin/order-edits/${orderId}/request`, {}],
    [`/admin/order-edits/${orderId}/confirm`, {}],
  ] as const) {
    expect((await http.post(url, body, { headers })).status).toBe(200)
  }
  const owes = (await http.get(`/admin/mpesa/orders/${orderId}`, { headers })).data.balance.outstanding
  expect(owes).toBeGreaterThan(0)
  return { orderId, owes }
}

/** The cart's newest attempt as the admin API serves it, once `ready` says so. */
async function adminAttemptFor(cartId: string, ready: (attempt: any) => boolean): Promise<any> {
  const headers = await adminBearer()
  let found: any
  await until(async () => {
    const list = await http.get(`/admin/mpesa/attempts?q=${cartId}`, { headers })
    found = list.data.attempts?.[0]
    return !!found && ready(found)
  }, 60_000)
  return found
}



export const chromiumInstalled = () => existsSync(CHROMIUM)

describe("finding a payment as the customer describes it, in a real browser", () => {
  it("searches the M-Pesa page for the customer's whole phone number, opens the payment, and reads why another prompt failed", async () => {
    const store = storeApi(http, seed.publishableKey)
    // The customer paid from 0712 345 678 (an ordinary number: the sandbox approves it by itself).
    const paid = await prepareCart(store, seed)
    expect((await store.initiatePaymentSession(paid.paymentCollectionId, LIPIA, { phone_number: "0712345678" })).status).toBe(200)
    const payment = await adminAttemptFor(paid.cart.id, (a) => !!a.order_id && a.order_display_id !== null)
    // Another customer's prompt ended for want of funds (0700000003).
    const broke = await prepareCart(store, seed)
    expect((await store.initiatePaymentSession(broke.paymentCollectionId, LIPIA, { phone_number: "0700000003" })).status).toBe(200)
    const failed = await adminAttemptFor(broke.cart.id, (a) => a.state === "failed")

    const page = await loggedIn()
    await page.goto(`${base}/app/mpesa`)
    const search = page.getByTestId("mpesa-search")
    await search.waitFor({ timeout: 120_000 })
    expect(await search.getAttribute("placeholder")).toBe("Phone, order #, receipt…")
    // Typed as the customer reads it out on the phone, with spaces.
    await search.fill("0712 345 678")
    const rows = page.getByTestId("mpesa-payment-row")
    await rows.filter({ hasText: payment.receipt }).waitFor({ timeout: 60_000 })
    await until(async () => (await rows.count()) === 1, 30_000)
    const row = rows.first()
    expect(await row.textContent()).toContain(`#${payment.order_display_id}`)
    expect(await row.textContent()).toContain("2547******78")
    await page.screenshot({ path: path.join(shots, "search-phone.png"), fullPage: true })

    // The row opens the payment: its order by number, its timeline, and what can be done.
    await row.click()
    await page.waitForURL(new RegExp(`/app/mpesa/attempts/${payment.id}$`), { timeout: 60_000 })
    const view = page.getByTestId("mpesa-attempt-page")
    await view.waitFor({ timeout: 60_000 })
    expect(await page.getByTestId("mpesa-attempt-order").textContent()).toBe(`#${payment.order_display_id}`)
    expect(await page.getByTestId("mpesa-attempt-state").textContent()).toBe("Paid")
    await view.getByText(new RegExp(`Paid and captured on order #${payment.order_display_id}`)).waitFor({ timeout: 30_000 })
    await view.getByRole("button", { name: "Re-check with the gateway" }).waitFor()
    await page.screenshot({ path: path.join(shots, "attempt-page.png"), fullPage: true })
    // Its order link leads to Medusa's own order page.
    await page.getByTestId("mpesa-attempt-order").getByRole("link").click()
    await page.waitForURL(new RegExp(`/app/orders/${payment.order_id}`), { timeout: 60_000 })

    // Back on the list, a failed prompt says why, in words.
    await page.goto(`${base}/app/mpesa`)
    await page.getByTestId("mpesa-search").fill("0700 000 003")
    const failedRow = page.getByTestId("mpesa-payment-row").filter({ hasText: "Failed" })
    await failedRow.waitFor({ timeout: 60_000 })
    expect(await failedRow.getByTestId("mpesa-failure-reason").textContent()).toBe("Insufficient funds")
    await page.screenshot({ path: path.join(shots, "search-failed-reason.png"), fullPage: true })
    await failedRow.click()
    await page.waitForURL(new RegExp(`/app/mpesa/attempts/${failed.id}$`), { timeout: 60_000 })
    expect(await page.getByTestId("mpesa-attempt-reason").textContent()).toBe("Insufficient funds")
    await page.getByTestId("mpesa-attempt-page").screenshot({ path: path.join(shots, "attempt-page-failed.png") })

    // "#N" finds the order's payment, not every phone ending in N.
    await page.goto(`${base}/app/mpesa`)
    await page.getByTestId("mpesa-search").fill(`#${payment.order_display_id}`)
    await page.getByTestId("mpesa-payment-row").filter({ hasText: payment.receipt }).waitFor({ timeout: 60_000 })
    await until(async () => (await page.getByTestId("mpesa-payment-row").count()) === 1, 30_000)
    await page.close()
  })
})

describe("Paybill payments waiting for an order, in a real browser", () => {
  it("shows a Paybill payment under Needs attention with the order it pays, and records it there in one click", async () => {
    const headers = await adminBearer()
    // An order taken by phone (a draft made an order) that nobody has paid yet.
    const created = await http.post(
      "/admin/draft-orders",
      {
        email: "paybill-waiting@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 3 }],
        shipping_address: { first_name: "Njeri", last_name: "Mwangi", address_1: "Tom Mboya Street 7", city: "Nairobi", country_code: seed.countries[0], phone: "0711 222 333" },
      },
      { headers }
    )
    expect(created.status).toBe(200)
    const orderId = created.data.draft_order.id
    expect((await http.post(`/admin/draft-orders/${orderId}/convert-to-order`, {}, { headers })).status).toBe(200)
    const { balance } = (await http.get(`/admin/mpesa/orders/${orderId}`, { headers })).data
    expect(balance.outstanding).toBeGreaterThan(0)
    const label = `Order #${balance.display_id}`
    // The customer paid the store's Lipwa Paybill from their own phone, outside any prompt.
    const paybill = sandbox.recordTillPayment({ phone: "254711222333", amount: balance.outstanding })
    const amount = `KES ${balance.outstanding.toLocaleString("en-KE")}`

    const page = await loggedIn()
    await page.goto(`${base}/app/mpesa`)
    const row = page.getByTestId("mpesa-unmatched-row").filter({ hasText: paybill.receipt! })
    await row.waitFor({ timeout: 120_000 })
    expect(await row.textContent()).toContain(`${amount} · ${paybill.receipt} · 2547******33`)
    const candidate = row.getByTestId("mpesa-unmatched-candidate").filter({ hasText: label })
    expect(await candidate.textContent()).toMatch(new RegExp(`${label} · Njeri Mwangi · owes ${amount}\\s*Same phone`))
    // Needs attention counts it, and the order that owes it is linked.
    expect(Number(await page.getByTestId("mpesa-attention-count").textContent())).toBeGreaterThanOrEqual(2)
    expect(await page.getByTestId("mpesa-owing-orders").getByRole("link", { name: label }).getAttribute("href")).toBe(`/app/orders/${orderId}`)
    await page.getByTestId("mpesa-attention").screenshot({ path: path.join(shots, "paybill-waiting.png") })

    await candidate.getByRole("button", { name: `Record on order #${balance.display_id}` }).click()

    const recorded = page.getByTestId("mpesa-unmatched-recorded").filter({ hasText: paybill.receipt! })
    await recorded.waitFor({ timeout: 60_000 })
    expect(await recorded.textContent()).toContain(`${paybill.receipt} recorded on ${label}: the payment is taken on the order.`)
    await row.waitFor({ state: "detached", timeout: 30_000 })
    // Paid, the order no longer owes: it leaves the owing orders too.
    await page.getByTestId("mpesa-owing-orders").getByRole("link", { name: label }).waitFor({ state: "detached", timeout: 30_000 })
    await page.getByTestId("mpesa-attention").screenshot({ path: path.join(shots, "paybill-recorded.png") })
    const after = (await http.get(`/admin/mpesa/orders/${orderId}`, { headers })).data
    expect(after.balance.outstanding).toBe(0)
    expect(after.attempts).toEqual([expect.objectContaining({ receipt: paybill.receipt, origin: "recorded", state: "paid" })])

    // Reconcile starts on the gateway that can (Lipwa), and finds the recorded payment matched.
    const reconcile = page.getByTestId("mpesa-reconcile")
    expect(await reconcile.getByRole("combobox", { name: "Provider" }).textContent()).toContain("Lipwa")
    await reconcile.getByRole("button", { name: "Reconcile" }).click()
    await reconcile.getByText(/\d+ matched;/).waitFor({ timeout: 30_000 })
    expect(await reconcile.textContent()).toMatch(/0 unknown to the gateway/)
    await reconcile.screenshot({ path: path.join(shots, "paybill-reconcile.png") })
    await page.close()
  })

  it("keeps a refusal on screen, in words, until the merchant dismisses it", async () => {
    const headers = await adminBearer()
    const created = await http.post(
      "/admin/draft-orders",
      {
        email: "paybill-twice@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 5 }],
        shipping_address: { first_name: "Otieno", last_name: "Odhiambo", address_1: "Oginga Odinga Street 3", city: "Kisumu", country_code: seed.countries[0], phone: "0711 444 555" },
      },
      { headers }
    )
    expect(created.status).toBe(200)
    const draftId = created.data.draft_order.id
    const { balance } = (await http.get(`/admin/mpesa/orders/${draftId}`, { headers })).data
    const paybill = sandbox.recordTillPayment({ phone: "0711444555", amount: balance.outstanding })

    const page = await loggedIn()
    await page.goto(`${base}/app/mpesa`)
    const row = page.getByTestId("mpesa-unmatched-row").filter({ hasText: paybill.receipt! })
    await row.waitFor({ timeout: 120_000 })
    // Meanwhile a colleague records the same receipt from the draft's own panel.
    expect((await http.post(`/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: "pp_mpesa-lipwa_lipwa", receipt: paybill.receipt }, { headers })).status).toBe(200)
    await row.getByRole("button", { name: `Record on draft order #${balance.display_id}` }).click()

    const refusal = page.getByTestId("mpesa-unmatched-refusal")
    await refusal.waitFor({ timeout: 30_000 })
    expect(await refusal.textContent()).toMatch(new RegExp(`Not recorded ${paybill.receipt} was not recorded on draft order #${balance.display_id}: .*already recorded.*#${balance.display_id}`))
    // The list is read again: the payment is no longer waiting, and the refusal stays (a toast would be gone in 4 s).
    await row.waitFor({ state: "detached", timeout: 30_000 })
    await page.waitForTimeout(5_000)
    expect(await refusal.isVisible()).toBe(true)
    await page.getByTestId("mpesa-attention").screenshot({ path: path.join(shots, "paybill-refused.png") })
    await refusal.getByRole("button", { name: "Dismiss" }).click()
    await refusal.waitFor({ state: "detached", timeout: 10_000 })
    await page.close()
  })
})

describe("the order page's M-Pesa panel keeps Medusa's own cards true", () => {
  const kes = (amount: number) => `KES ${amount.toLocaleString("en-KE")}`

  /** Medusa's own summary card: its "Outstanding amount" row (the dashboard's `Ksh 1,000.00 KES`). */
  const outstandingRow = (page: Page) => page.locator("div.justify-between").filter({ has: page.getByText("Outstanding amount", { exact: true }) }).last()

  /** Medusa's cards before the M-Pesa payment: money owed, "Mark as paid", partly captured. */
  async function medusaSaysOwed(page: Page) {
    await page.getByRole("button", { name: "Mark as paid" }).waitFor({ timeout: 60_000 })
    expect(await outstandingRow(page).textContent()).not.toMatch(/\b0\.00 KES/)
    await page.getByText("Partially captured").first().waitFor()
  }

  /** …and after, on the same page, never reloaded: nothing outstanding, no "Mark as paid", captured. */
  async function medusaSaysPaid(page: Page) {
    await page.getByRole("button", { name: "Mark as paid" }).waitFor({ state: "detached", timeout: 60_000 })
    await until(async () => /\b0\.00 KES/.test((await outstandingRow(page).textContent()) ?? ""), 30_000)
    expect(await page.getByText("Partially captured").count()).toBe(0)
  }

  it("requests a prompt; the customer approves it on the phone page; Medusa's Outstanding shows 0 and Mark as paid goes, without a reload", async () => {
    const { orderId, owes } = await editedOrder("0712000201")
    const page = await loggedIn()
    let loads = 0
    page.on("load", () => (loads += 1))
    await page.goto(`${base}/app/orders/${orderId}`)
    const request = page.getByTestId("mpesa-request")
    await request.waitFor({ timeout: 120_000 })
    await medusaSaysOwed(page)
    await page.screenshot({ path: path.join(shots, "orderpage-owed.png"), fullPage: true })
    const loadsBefore = loads

    // The customer's number that waits for the PIN (the sandbox never settles it by itself).
    await request.getByLabel("Customer's M-Pesa number").fill("0700000010")
    await request.getByRole("button", { name: `Send prompt for ${kes(owes)}` }).click()
    await page.getByTestId("mpesa-request-live").waitFor({ timeout: 60_000 })

    // The customer's phone: the prompt for exactly that amount; they enter the PIN.
    const phone = await browser.newPage({ viewport: { width: 480, height: 800 } })
    await phone.goto(`${sandbox.url}/phone`)
    const prompt = phone.locator(".card").filter({ hasText: kes(owes) }).filter({ has: phone.getByRole("button", { name: "Approve" }) }).first()
    await prompt.waitFor({ timeout: 30_000 })
    await phone.screenshot({ path: path.join(shots, "orderpage-phone.png") })
    await prompt.getByRole("button", { name: "Approve" }).click()

    // No click in the admin: the panel's polling sees it paid, and Medusa's own cards follow.
    await medusaSaysPaid(page)
    await page.getByTestId("mpesa-outstanding").waitFor({ state: "detached", timeout: 30_000 })
    expect(loads).toBe(loadsBefore)
    await page.screenshot({ path: path.join(shots, "orderpage-paid.png"), fullPage: true })
    await phone.close()
    await page.close()
  })

  it("records a Paybill receipt: the form starts on Lipwa, says why its button is disabled, keeps a refusal on screen; recorded, Medusa's cards show it paid without a reload", async () => {
    const { orderId, owes } = await editedOrder("0712000202")
    const paybill = sandbox.recordTillPayment({ phone: "0722000222", amount: owes })
    const page = await loggedIn()
    await page.goto(`${base}/app/orders/${orderId}`)
    const form = page.getByTestId("mpesa-record")
    await form.waitFor({ timeout: 120_000 })
    await medusaSaysOwed(page)
    await form.getByRole("button", { name: "Record a payment made outside the prompt…" }).click()

    // Lipwa can look the receipt up: the form starts there (Lipia would record it on the merchant's word).
    expect(await form.getByRole("combobox", { name: "Gateway" }).textContent()).toContain("Lipwa")
    expect(await form.getByTestId("mpesa-record-attested").count()).toBe(0)

    // A receipt too short: the button is disabled and the form says why.
    const button = form.getByRole("button", { name: "Record payment" })
    await form.getByLabel("M-Pesa receipt").fill("THK75")
    expect(await button.isDisabled()).toBe(true)
    expect(await form.getByTestId("mpesa-record-receipt-hint").textContent()).toBe("A receipt is 10 letters and digits: 5 typed.")
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "orderpage-record-why.png") })

    // A receipt Lipwa does not list: refused, and the refusal stays (a toast would be gone in 4 s) until the input changes.
    await form.getByLabel("M-Pesa receipt").fill("ZZZ00ZZZ00")
    expect(await button.isDisabled()).toBe(false)
    await button.click()
    const refused = form.getByTestId("mpesa-record-refused")
    await refused.waitFor({ timeout: 30_000 })
    expect(await refused.textContent()).toMatch(/Receipt ZZZ00ZZZ00 is not among the payments Lipwa lists/)
    await page.waitForTimeout(5_000)
    expect(await refused.isVisible()).toBe(true)
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "orderpage-record-refused.png") })

    await form.getByLabel("M-Pesa receipt").fill(paybill.receipt!)
    expect(await refused.count()).toBe(0)
    await button.click()
    await medusaSaysPaid(page)
    await page.getByTestId("mpesa-outstanding").waitFor({ state: "detached", timeout: 30_000 })
    await page.screenshot({ path: path.join(shots, "orderpage-recorded.png"), fullPage: true })
    await page.close()
  })

  it("refuses a prompt for an amount the draft no longer owes, says so on the panel and shows the new amount; paid, the draft's page leads to its order", async () => {
    const headers = await adminBearer()
    const created = await http.post(
      "/admin/draft-orders",
      {
        email: "stale-amount@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 1 }],
        shipping_address: { first_name: "Akinyi", last_name: "Odhiambo", address_1: "Tom Mboya Street 3", city: "Nairobi", country_code: seed.countries[0], phone: "0712000203" },
      },
      { headers }
    )
    expect(created.status).toBe(200)
    const draftId = created.data.draft_order.id
    const shown = (await http.get(`/admin/mpesa/orders/${draftId}`, { headers })).data.balance.outstanding

    const page = await loggedIn()
    await page.goto(`${base}/app/draft-orders/${draftId}`)
    const request = page.getByTestId("mpesa-request")
    await request.getByRole("button", { name: `Send prompt for ${kes(shown)}` }).waitFor({ timeout: 120_000 })

    // Meanwhile, in another tab, the draft gets one more item.
    for (const [url, body] of [
      [`/admin/draft-orders/${draftId}/edit`, {}],
      [`/admin/draft-orders/${draftId}/edit/items`, { items: [{ variant_id: seed.variant.id, quantity: 1 }] }],
      [`/admin/draft-orders/${draftId}/edit/confirm`, {}],
    ] as const) {
      expect((await http.post(url, body, { headers })).status).toBe(200)
    }
    const owes = (await http.get(`/admin/mpesa/orders/${draftId}`, { headers })).data.balance.outstanding
    expect(owes).toBeGreaterThan(shown)

    await request.getByRole("button", { name: `Send prompt for ${kes(shown)}` }).click()
    const refused = request.getByTestId("mpesa-request-refused")
    await refused.waitFor({ timeout: 30_000 })
    expect(await refused.textContent()).toContain(`now owes ${kes(owes)}, not the ${kes(shown)} shown`)
    // The button now says what the prompt will ask.
    await request.getByRole("button", { name: `Send prompt for ${kes(owes)}` }).waitFor({ timeout: 30_000 })
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "orderpage-amount-changed.png") })
    expect((await http.get(`/admin/mpesa/orders/${draftId}`, { headers })).data.attempts).toHaveLength(0)

    // Sent for the new amount (0712000203 is approved by the sandbox): paid, the draft became an order, and its page says which.
    await request.getByRole("button", { name: `Send prompt for ${kes(owes)}` }).click()
    const became = page.getByTestId("mpesa-became-order")
    await became.waitFor({ timeout: 60_000 }).catch(async (error) => {
      await page.screenshot({ path: path.join(shots, "orderpage-draft-became-order-failed.png") })
      const desk = (await http.get(`/admin/mpesa/orders/${draftId}`, { headers })).data
      throw new Error(`${error.message}\ndesk: ${JSON.stringify({ balance: desk.balance, attempts: desk.attempts.map((a: any) => [a.state, a.message]) })}`)
    })
    const order = (await http.get(`/admin/orders/${draftId}?fields=id,display_id,is_draft_order`, { headers })).data.order
    expect(order.is_draft_order).toBe(false)
    expect(await became.textContent()).toContain(`This draft became order #${order.display_id}`)
    await page.getByTestId("mpesa-order-panel").screenshot({ path: path.join(shots, "orderpage-draft-became-order.png") })
    await became.getByRole("link", { name: `Open order #${order.display_id}` }).click()
    await page.waitForURL(`${base}/app/orders/${draftId}`, { timeout: 60_000 })
    await page.getByTestId("mpesa-receipt").waitFor({ timeout: 60_000 })
    await page.close()
  })
})
