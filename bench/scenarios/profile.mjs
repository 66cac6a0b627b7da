// Where the server's CPU goes in the payment phase of each kind (`npm run bench -- --profile`).

import { readdirSync, readFileSync, rmSync } from "node:fs"
import path from "node:path"

import { bench } from "../lib/context.mjs"
import { hottestFunctions, selfTimeByCategory } from "../lib/profile.mjs"
import { LIPIA, SYSTEM, warmUp } from "../lib/shopper.mjs"
import { ratio } from "../lib/stats.mjs"
import { paymentRound } from "./payment.mjs"

/**
 * A server started under V8's CPU profiler runs the payment-phase burst (section 3b) at `n`:
 * the carts prepared first, then Medusa's own pay-and-complete, then M-Pesa's (Lipia, doubled
 * callbacks); the profile, written when the server exits, is cut at the two runs. CPU per order
 * and self time per package say where an M-Pesa payment's extra time goes, and whose code it is.
 */
export async function profileBursts(n = 50) {
  const dir = path.join(bench.work, "profile")
  rmSync(dir, { recursive: true, force: true })
  bench.server = await bench.boot("profile", { NODE_OPTIONS: `--require ${path.join(bench.root, "bench", "lib", "cpu-profiler.cjs")}`, BENCH_PROFILE_DIR: dir })
  await warmUp([LIPIA, SYSTEM])
  const windows = {}
  for (const run of await paymentRound(n, 0)) {
    windows[run.kind] = { ...run.window, orders: run.orders, throughput: run.throughput, failures: run.failures, failureSample: run.failureSample, databasePerOrder: run.database }
  }
  await bench.server.stop()
  // `medusa` may start more than one Node process; the server's profile is the busiest.
  const profiles = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")))
  const profile = profiles.sort((a, b) => b.samples.length - a.samples.length)[0]
  if (!profile) {
    throw new Error(`no CPU profile was written in ${dir}`)
  }
  const pluginDir = path.join(bench.root, ".medusa", "server")
  const result = {}
  for (const [kind, w] of Object.entries(windows)) {
    const time = selfTimeByCategory(profile, { ...w, pluginDir })
    result[kind] = {
      orders: w.orders,
      failures: w.failures,
      failureSample: w.failureSample,
      throughput: w.throughput,
      databasePerOrder: w.databasePerOrder,
      cpuMsPerOrder: Math.round(time.busyMs / w.orders),
      busyMs: time.busyMs,
      categories: time.categories.slice(0, 14).map((c) => ({ ...c, msPerOrder: Math.round((c.ms / w.orders) * 10) / 10 })),
      hottestPluginFunctions: hottestFunctions(profile, { ...w, pluginDir, only: "the plugin" }),
    }
  }
  result.ratio = ratio(result.mpesa.cpuMsPerOrder, result.system.cpuMsPerOrder)
  bench.say(`profile: CPU per order, M-Pesa ${result.mpesa.cpuMsPerOrder} ms vs system ${result.system.cpuMsPerOrder} ms (×${result.ratio})`)
  const system = new Map(result.system.categories.map((c) => [c.category, c.msPerOrder]))
  for (const c of result.mpesa.categories) {
    bench.say(`  ${c.category.padEnd(34)} ${String(c.msPerOrder).padStart(7)} ms/order M-Pesa   ${String(system.get(c.category) ?? 0).padStart(7)} ms/order system`)
  }
  bench.say(`  PostgreSQL per order, M-Pesa ${JSON.stringify(result.mpesa.databasePerOrder)} vs system ${JSON.stringify(result.system.databasePerOrder)}`)
  for (const f of result.mpesa.hottestPluginFunctions) {
    bench.say(`  plugin: ${f.ms} ms  ${f.fn}`)
  }
  return result
}

