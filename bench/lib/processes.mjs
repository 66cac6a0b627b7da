// The processes a benchmark runs: Medusa servers (`medusa start`), and the resident memory of
// a process tree read from /proc.

import { spawn } from "node:child_process"
import { createWriteStream, readdirSync, readFileSync } from "node:fs"
import path from "node:path"

/**
 * Starts `medusa start` in `cwd` on `port` in its own process group and waits for /health.
 * Returns { url, pid, bootMs, stop() }.
 */
export async function startMedusa({ root, cwd, port, env, log }) {
  const url = `http://localhost:${port}`
  const out = createWriteStream(log)
  const started = Date.now()
  const child = spawn(path.join(root, "node_modules", ".bin", "medusa"), ["start"], {
    cwd,
    env: { ...env, PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  })
  child.stdout.pipe(out)
  child.stderr.pipe(out)
  let exited = false
  child.on("exit", () => (exited = true))
  const deadline = Date.now() + 180_000
  for (;;) {
    if (exited) {
      throw new Error(`Medusa exited during boot: see ${log}`)
    }
    if (Date.now() > deadline) {
      killGroup(child.pid, "SIGKILL")
      throw new Error(`Medusa did not answer ${url}/health within 3 minutes: see ${log}`)
    }
    if (await fetch(`${url}/health`).then((res) => res.ok, () => false)) {
      break
    }
    await sleep(250)
  }
  return {
    url,
    pid: child.pid,
    bootMs: Date.now() - started,
    async stop() {
      if (exited) {
        return
      }
      const gone = new Promise((resolve) => child.once("exit", resolve))
      killGroup(child.pid, "SIGTERM")
      const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 10_000)
      await gone
      clearTimeout(timer)
      killGroup(child.pid, "SIGKILL")
      out.end()
    },
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resident set size (bytes) of `pid` and every process below it (the npx/medusa wrappers included). */
export function treeRss(pid) {
  const children = new Map()
  for (const { pid: child, ppid } of processTable()) {
    children.set(ppid, [...(children.get(ppid) ?? []), child])
  }
  let total = 0
  const stack = [pid]
  while (stack.length) {
    const current = stack.pop()
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, "utf8"))
      total += rss ? Number(rss[1]) * 1024 : 0
    } catch {
      // gone
    }
    stack.push(...(children.get(current) ?? []))
  }
  return total
}

/** Samples treeRss(pid) every `everyMs` until stop(); stop() returns the peak in bytes. */
export function rssSampler(pid, everyMs = 200) {
  let peak = treeRss(pid)
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid))
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, treeRss(pid))
    },
  }
}

/** RSS once the process has been idle for `settleMs` (the median of five readings, 200 ms apart). */
export async function idleRss(pid, settleMs = 2000) {
  await sleep(settleMs)
  const readings = []
  for (let i = 0; i < 5; i++) {
    readings.push(treeRss(pid))
    await sleep(200)
  }
  return readings.sort((a, b) => a - b)[2]
}

const TICKS_PER_S = 100

/**
 * CPU seconds used so far, by whom: the process tree of `serverPid` (the Medusa server),
 * PostgreSQL's processes, this bench process (the shoppers and the sandbox), and the machine's
 * idle time — from /proc, so two readings around a run say where its CPU went and whether the
 * machine had any left. A process that ended between the readings is not counted.
 */
export function cpuSeconds(serverPid) {
  const parents = new Map()
  const used = new Map()
  const names = new Map()
  for (const { pid, ppid, name, fields } of processTable()) {
    parents.set(pid, ppid)
    // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
    used.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S)
    names.set(pid, name)
  }
  const inServer = (pid) => {
    for (let at = pid; at > 1; at = parents.get(at)) {
      if (at === serverPid) {
        return true
      }
    }
    return false
  }
  const total = { server: 0, postgres: 0, bench: 0 }
  for (const [pid, seconds] of used) {
    if (serverPid && inServer(pid)) {
      total.server += seconds
    } else if (names.get(pid) === "postgres") {
      total.postgres += seconds
    } else if (pid === process.pid) {
      total.bench += seconds
    }
  }
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number)
  // idle + iowait
  total.idle = (cpu[3] + (cpu[4] ?? 0)) / TICKS_PER_S
  return total
}

/** What two cpuSeconds readings say: each one's CPU seconds between them, rounded to 0.1. */
export function cpuBetween(before, after) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - before[k]) * 10) / 10]))
}

/** Every process in /proc: its pid, parent, command name and the stat fields after the name. */
function processTable() {
  const table = []
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      // The command name may hold spaces and parentheses: the fields start after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      table.push({ pid: Number(entry), ppid: Number(fields[1]), name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), fields })
    } catch {
      // the process ended while we looked
    }
  }
  return table
}

/**
 * The server's event loop so far (GET /bench/loop: its main thread's active and idle ms), or
 * undefined when the server does not answer it. Two readings make `loopBetween`.
 */
export async function eventLoop(server) {
  if (!server?.url) {
    return undefined
  }
  try {
    const res = await fetch(`${server.url}/bench/loop`)
    return res.ok ? await res.json() : undefined
  } catch {
    return undefined
  }
}

/**
 * Between two readings: `loop`, the share of the time the server's main thread was busy (0–1),
 * and `main`, the seconds it was busy — the one thread every request and workflow runs on.
 */
export function loopBetween(before, after) {
  if (!before || !after || before.pid !== after.pid) {
    return {}
  }
  const active = after.active - before.active
  const idle = after.idle - before.idle
  return active + idle > 0 ? { loop: Math.round((active / (active + idle)) * 100) / 100, main: Math.round(active / 100) / 10 } : {}
}
