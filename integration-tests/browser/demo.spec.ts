import { mkdirSync, readFileSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

import axios from "axios"
import { chromium, type Browser, type Page } from "playwright-core"

import { launchDemo, until, type Demo, type DemoPorts } from "./processes"

jest.setTimeout(900_000)

/**
 * The demo as a newcomer runs it: `npm run demo` (its own embedded PostgreSQL, sandbox, Medusa
 * with the plugin, the storefront), then the storefront in real Chromium at a phone's size:
 * a paid order with its receipt, a cancelled prompt sent again, an Airtel number refused, a
 * prompt approved on the sandbox's phone page. Ctrl-C must leave no port behind.
 * Screenshots go to .tmp/screenshots (git-ignored).
 */
const root = path.resolve(__dirname, "../..")
const shots = path.join(root, ".tmp", "screenshots")
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
const PHONE = { width: 390, height: 844 }

let demo: Demo
let ports: DemoPorts
let urls: { storefront: string; phone: string; backend: string }
let browser: Browser
const output = () => demo.output()

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  demo = await launchDemo({ echo: true })
  ports = demo.ports
  await demo.ready()
  const url = (label: string) => new RegExp(`${label}\\s+(http://\\S+)`).exec(output())![1]
  urls = { storefront: url("Storefront \\(checkout\\)"), phone: url("Phone \\(the prompts\\)"), backend: `http://localhost:${ports.medusa}` }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  })
}, 900_000)

afterAll(async () => {
  await browser?.close()
  await demo?.stop()
})

describe("npm run demo, in a real browser", () => {
  it("prints every address, the demo login and the magic numbers", () => {
    expect(urls.storefront).toBe(`http://localhost:${ports.storefront}`)
    expect(urls.phone).toBe(`http://127.0.0.1:${ports.sandbox}/phone`)
    expect(output()).toContain(`${urls.backend}/app`)
    expect(adminPassword()).toMatch(/^[\w-]{12}$/)
    expect(output()).toMatch(/0700 000 000\s+pays at once/)
  })

  it("answers at every address it prints, and only on this machine", async () => {
    // The banner alone: the sandbox's log lines that follow it name callback URLs, which answer only a POST.
    const start = output().indexOf("M-Pesa demo store — ready")
    const banner = output().slice(start, output().indexOf("Ctrl-C stops everything", start))
    const printed = [...banner.matchAll(/https?:\/\/[^\s,)]+/g)].map((m) => m[0])
    expect(printed).toEqual(expect.arrayContaining([urls.storefront, urls.phone, `${urls.backend}/app`, `${urls.backend}/health`]))
    for (const url of printed) {
      const { status } = await axios.get(url, { validateStatus: () => true, maxRedirects: 5 })
      expect({ url, status }).toEqual({ url, status: 200 })
    }
    // Bound to 127.0.0.1 unless DEMO_HOST says otherwise: another interface of this machine finds nothing.
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)
    if (other) {
      await expect(axios.get(`http://${other.address}:${ports.medusa}/health`, { timeout: 5_000 })).rejects.toThrow()
    }
  })

  it("buys a product with a success number and shows the order and its M-Pesa receipt", async () => {
    const page = await shopper()
    await page.screenshot({ path: path.join(shots, "storefront-shop.png"), fullPage: true })
    await buy(page, "Kikoy beach towel")
    await page.screenshot({ path: path.join(shots, "storefront-pay.png"), fullPage: true })
    await pay(page, "0700 000 000", "Lipia Online")

    const confirmation = page.getByTestId("confirmation")
    await confirmation.waitFor({ timeout: 60_000 })
    const receipt = (await page.getByTestId("receipt").textContent())!
    expect(receipt).toMatch(/^[A-Z0-9]{10}$/)
    expect(await confirmation.textContent()).toMatch(/Order #\d+ is placed\.Kikoy beach towel — KES 1,200 paid with M-Pesa\./)
    await page.screenshot({ path: path.join(shots, "storefront-paid.png"), fullPage: true })

    // The merchant sees the same payment, with its order, in the admin API.
    const attempt = await adminAttempt(receipt)
    expect(attempt).toMatchObject({ state: "paid", receipt, amount_requested: 1200 })
    expect(attempt.order_id).toBeTruthy()
    await page.close()
  })

  it("shows the shopper's message when the prompt is cancelled, and pays when it is sent again", async () => {
    const lipia = await shopper()
    await buy(lipia, "Kikoy beach towel")
    await pay(lipia, "0700 000 001", "Lipia Online")
    await lipia.getByTestId("notice").waitFor({ timeout: 60_000 })
    expect(await lipia.getByTestId("notice").textContent()).toBe("The payment was cancelled on your phone. Try again when you are ready.")
    await lipia.close()

    const page = await shopper()
    await buy(page, "Kiondo basket")
    await pay(page, "0700 000 001", "Lipwa")
    await page.getByTestId("waiting").waitFor()
    await page.screenshot({ path: path.join(shots, "storefront-waiting.png"), fullPage: true })

    // Lipwa's callback says only `payment.failed` ("fails or is cancelled", lipwa-api.txt), so
    // the shopper gets the general failure message; through Lipia it would say "cancelled".
    const notice = page.getByTestId("notice")
    await notice.waitFor({ timeout: 60_000 })
    expect(await notice.textContent()).toBe("M-Pesa could not complete the payment. Try again, or choose another payment method.")
    expect(await page.getByTestId("pay").textContent()).toBe("Send the prompt again")
    await page.screenshot({ path: path.join(shots, "storefront-retry.png"), fullPage: true })

    await page.getByTestId("phone").fill("0700000000")
    await page.getByTestId("pay").click()
    await page.getByTestId("confirmation").waitFor({ timeout: 60_000 })
    expect(await page.getByTestId("confirmation").textContent()).toMatch(/Order #\d+ is placed\.Kiondo basket — KES 2,700 paid/)
    await page.close()
  })

  it("refuses an Airtel number before any prompt is sent", async () => {
    const before = await sandboxPayments()
    const page = await shopper()
    await buy(page, "Maasai shuka")
    await pay(page, "0733 000 000", "Lipia Online")

    const error = page.getByTestId("pay-error")
    await error.waitFor({ timeout: 30_000 })
    expect(await error.textContent()).toBe("0733000000 is an Airtel number. M-Pesa needs a Safaricom number.")
    expect(await sandboxPayments()).toBe(before)
    await page.screenshot({ path: path.join(shots, "storefront-airtel.png"), fullPage: true })
    await page.close()
  })

  it("waits for an ordinary number until the shopper approves on the sandbox's phone page", async () => {
    const page = await shopper()
    await buy(page, "Kenyan AA coffee, 250 g")
    await pay(page, "0712 345 678", "Lipia Online")
    await page.getByTestId("waiting").waitFor()

    const phone = await browser.newPage({ viewport: PHONE })
    await phone.goto(urls.phone)
    await phone.getByRole("button", { name: "Approve" }).click({ timeout: 30_000 })
    await page.getByTestId("confirmation").waitFor({ timeout: 60_000 })
    expect(await page.getByTestId("receipt").textContent()).toMatch(/^[A-Z0-9]{10}$/)
    await phone.screenshot({ path: path.join(shots, "sandbox-phone.png"), fullPage: true })
    await phone.close()
    await page.close()
  })

  it("reconciles with Lipwa cleanly, and lists the waiting Paybill payment with the order it pays", async () => {
    const [, receipt, orderNumber] = /receipt (\w{10}), KES [\d,]+, waits under the M-Pesa page's Needs attention: Record on order #(\d+)/.exec(output())!
    const headers = await adminHeaders()
    const http = axios.create({ baseURL: urls.backend, headers })

    const { reconciliation } = (await http.get("/admin/mpesa/reconcile?provider_id=pp_mpesa-lipwa_lipwa")).data
    // The seed's two weeks of Lipwa payments are all in Lipwa's list, settled by hand (the seed resolved them).
    expect(reconciliation).toMatchObject({ supported: true, paid_twice: [], unknown_to_gateway: [] })
    expect(reconciliation.resolved).toBeGreaterThan(20)
    expect(reconciliation.received_without_order.map((r: { receipt: string }) => r.receipt)).toEqual([receipt])

    const { payments } = (await http.get("/admin/mpesa/unmatched-payments?provider_id=pp_mpesa-lipwa_lipwa")).data
    expect(payments).toEqual([expect.objectContaining({ receipt, candidates: [expect.objectContaining({ display_id: Number(orderNumber), draft: false })] })])
  })

  it("stops everything on Ctrl-C and leaves no port behind", async () => {
    const medusa = JSON.parse(readFileSync(path.join(demo.dataDir, "demo.pid"), "utf8")).medusa as number
    process.kill(-demo.process.pid!, "SIGINT")
    await until(() => demo.process.exitCode !== null || demo.process.signalCode !== null, 60_000)

    expect(output()).toContain("stopped: no process or port of the demo is left.")
    for (const port of Object.values(ports)) {
      expect(await portIsFree(port)).toBe(true)
    }
    expect(isAlive(medusa)).toBe(false)
  })
})

async function shopper(): Promise<Page> {
  const page = await browser.newPage({ viewport: PHONE })
  await page.goto(urls.storefront)
  await page.getByTestId("product").first().waitFor({ timeout: 60_000 })
  return page
}

async function buy(page: Page, title: string) {
  await page.getByTestId("product").filter({ hasText: title }).getByRole("button").click()
  await page.getByTestId("pay-form").waitFor({ timeout: 60_000 })
}

async function pay(page: Page, phone: string, gateway: string) {
  await page.getByTestId("phone").fill(phone)
  await page.getByLabel(`M-Pesa via ${gateway}`).check()
  await page.getByTestId("pay").click()
}

async function adminAttempt(receipt: string): Promise<any> {
  const http = axios.create({ baseURL: urls.backend })
  const { data } = await http.post("/auth/user/emailpass", { email: "admin@mpesa.demo", password: adminPassword() })
  const list = await http.get(`/admin/mpesa/attempts?q=${receipt}`, { headers: { Authorization: `Bearer ${data.token}` } })
  return list.data.attempts[0]
}

async function adminHeaders(): Promise<Record<string, string>> {
  const { data } = await axios.post(`${urls.backend}/auth/user/emailpass`, { email: "admin@mpesa.demo", password: adminPassword() })
  return { Authorization: `Bearer ${data.token}` }
}

/** The demo's admin password: generated per demo, printed beside the admin URL. */
function adminPassword(): string {
  return /admin@mpesa\.demo \/ (\S+)/.exec(output())![1]
}

async function sandboxPayments(): Promise<number> {
  const { data } = await axios.get(`http://127.0.0.1:${ports.sandbox}/__sandbox/payments`)
  return data.payments.length
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once("error", () => resolve(false))
    probe.listen(port, () => probe.close(() => resolve(true)))
  })
}
