import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { useSandbox } from "../fixtures/mpesa"

jest.setTimeout(240_000)

const sandbox = useSandbox()

const DAY_MS = 24 * 3600_000

/**
 * The prune job as Medusa runs it: the default export of the *built* plugin's job file, called
 * `handler(container, { scheduledFor })` as framework/dist/jobs/job-loader.js calls every job.
 */
function scheduledPrune(container: unknown, scheduledFor: Date): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, "../../.medusa/server/src/jobs/prune-mpesa-callbacks.js")).default(container, { scheduledFor })
}

/**
 * What the callback log keeps of the world, on a real store: the callback route is open to
 * anyone, so what strangers send leaves a bounded trace, and the log is pruned on schedule.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ getContainer }) => {
    const ledger = () => getContainer().resolve("mpesa") as any

    it("prunes the callback log when Medusa runs the job: older than callbackLogDays (90) go, the rest stay", async () => {
      const now = Date.now()
      const logged = (named_id: string, daysAgo: number, attempt_id: string | null) =>
        ledger().logCallback({
          gateway: "lipia",
          attempt_id,
          named_id,
          signature_valid: attempt_id !== null,
          body: "{}",
          headers: {},
          answer_status: attempt_id ? 200 : 401,
          answer_code: attempt_id ? null : "MPESA_BAD_SIGNATURE",
          answer_message: "ok",
          received_at: new Date(now - daysAgo * DAY_MS),
        })
      await logged("matched-91-days-ago", 91, "mpatt_old")
      await logged("unmatched-90.1-days-ago", 90.1, null)
      await logged("matched-89-days-ago", 89, "mpatt_recent")
      await logged("unmatched-today", 0, null)

      expect(await scheduledPrune(getContainer(), new Date(now))).toBe(2)

      const left: Array<{ named_id: string }> = await ledger().listMpesaCallbacks({}, { select: ["named_id"] })
      expect(left.map((callback) => callback.named_id).sort()).toEqual(["matched-89-days-ago", "unmatched-today"])
      // The next hourly run finds nothing more to do.
      expect(await scheduledPrune(getContainer(), new Date(now + 3600_000))).toBe(0)
    })
  },
})
