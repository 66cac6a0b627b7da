/**
 * A local stand-in for both M-Pesa aggregators the plugin speaks to — Lipia Online v2 and
 * Lipwa — like stripe-mock is for Stripe (design.md §5): the same paths, bearer auth,
 * envelopes, status strings, error shapes and 429s as the documents in reference/, with
 * magic phone numbers that choose how a prompt ends, a phone page to answer prompts by hand,
 * and a control API for tests.
 *
 *   const sandbox = await startSandbox()
 *   // point the client at sandbox.lipiaBaseUrl / sandbox.lipwaBaseUrl
 *   await sandbox.close()
 */
import type { AddressInfo } from "node:net"
import { CallbackSender } from "./callbacks"
import { createControlApi } from "./control-api"
import { FaultQueue } from "./faults"
import { accountOf } from "./http"
import { Ledger, snapshot } from "./ledger"
import { createLipiaApi } from "./lipia-api"
import { createLipwaApi } from "./lipwa-api"
import { maskPhone } from "./mask-phone"
import { phonePage } from "./phone-page"
import { SlidingWindowLimiter } from "./rate-limit"
import { RequestLog } from "./request-log"
import { CONTROL_BASE_PATH, LIPIA_BASE_PATH, LIPWA_BASE_PATH, createSandboxServer } from "./server"
import { Simulator } from "./simulator"
import { Timers } from "./timers"
import type { Sandbox, SandboxOptions } from "./types"

export type {
  Api,
  CallbackDelivery,
  CallbackMode,
  Fault,
  FaultMode,
  MagicBehaviour,
  Outcome,
  PaymentChannel,
  PaymentStatus,
  ReceivedRequest,
  ResendOptions,
  Sandbox,
  SandboxOptions,
  SandboxPayment,
  SettleOptions,
  TillPayment,
} from "./types"
export { MAGIC_NUMBERS } from "./magic-numbers"
export { SandboxError } from "./errors"

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const userLog = options.logger
  // Any phone number (2547…, +2547…, 07…) that reaches a log line is masked, whatever wrote it;
  // the lookbehind keeps digits inside ids such as ws_CO_… untouched.
  const log = userLog
    ? (line: string) => userLog(line.replace(/(?<![\w+])(?:\+?254|0)[17]\d{8}\b/g, (m) => maskPhone(m)))
    : () => undefined

  const timers = new Timers()
  const ledger = new Ledger()
  const sender = new CallbackSender(log)
  const faults = new FaultQueue()
  const requestLog = new RequestLog()
  const limiter = new SlidingWindowLimiter(options.lipwaRateLimit ?? 10)
  const sim = new Simulator(ledger, timers, sender, {
    manual: options.manual ?? false,
    approveDelayMs: options.approveDelayMs ?? 1500,
    log,
  })

  let closing: Promise<void> | undefined
  const urls = { url: "", lipiaBaseUrl: "", lipwaBaseUrl: "" }

  const sandbox: Sandbox = {
    get url() {
      return urls.url
    },
    get lipiaBaseUrl() {
      return urls.lipiaBaseUrl
    },
    get lipwaBaseUrl() {
      return urls.lipwaBaseUrl
    },
    close: () => (closing ??= close()),
    payments: () => ledger.all().map((e) => snapshot(e.payment)),
    payment: (ref) => {
      const entry = ledger.find(ref)
      return entry ? snapshot(entry.payment) : undefined
    },
    recordTillPayment: ({ apiKey, ...payment }) => sim.payToTill({ ...payment, account: apiKey ? accountOf(apiKey) : null }),
    settle: (ref, outcome, opts) => sim.settle(ref, outcome, opts),
    resendCallback: (ref, opts) => sim.resendCallback(ref, opts?.url),
    callbacks: () => sender.list(),
    requests: () => requestLog.list(),
    injectFault: (fault) => faults.add(fault),
    reset: () => {
      sim.reset()
      sender.reset()
      faults.clear()
      requestLog.clear()
      limiter.reset()
      log("reset: payments, callbacks, requests, faults and rate limits cleared")
    },
    waitFor: async (predicate, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() > deadline) {
          throw new Error(`waitFor: condition still false after ${timeoutMs} ms`)
        }
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
  }

  const server = createSandboxServer({
    lipia: createLipiaApi(sim, { apiKeys: options.lipiaApiKeys, notFoundForMs: options.lipiaNotFoundForMs ?? 0 }),
    lipwa: createLipwaApi(sim, { apiKeys: options.lipwaApiKeys, channels: options.lipwaChannels, limiter }),
    control: createControlApi(sandbox),
    phonePage,
    index: () => ({
      name: "medusa-plugin-mpesa sandbox",
      lipiaBaseUrl: urls.lipiaBaseUrl,
      lipwaBaseUrl: urls.lipwaBaseUrl,
      phone: `${urls.url}/phone`,
      control: `${urls.url}${CONTROL_BASE_PATH}`,
    }),
    faults,
    requestLog,
    timers,
    log,
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  // Sandbox choice: bound to every interface (0.0.0.0 / ::), the URLs we hand out use loopback, which always works locally.
  const unspecified = address.address === "0.0.0.0" || address.address === "::"
  const host = unspecified ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address
  urls.url = `http://${host}:${address.port}`
  urls.lipiaBaseUrl = `${urls.url}${LIPIA_BASE_PATH}`
  urls.lipwaBaseUrl = `${urls.url}${LIPWA_BASE_PATH}`

  async function close(): Promise<void> {
    sim.close()
    timers.clearAll()
    sender.close()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      // Keep-alive and in-flight (e.g. delayed) connections would otherwise hold close() open.
      server.closeAllConnections()
    })
  }

  return sandbox
}
