import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

/** What the browser specs share: ports, waiting, and `npm run demo` started as a user starts it. */

const root = path.resolve(__dirname, "../..")

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.on("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error("condition not met in time")
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** The test runner's settings (its database, jest's NODE_OPTIONS) are no business of a process a user would start. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }
  for (const name of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DATABASE_URL", "NODE_OPTIONS", "TEST_TYPE", "NODE_ENV"]) {
    delete env[name]
  }
  return { ...env, ...extra }
}

export type DemoPorts = { medusa: number; storefront: number; sandbox: number; postgres: number }

export type Demo = {
  process: ChildProcess
  ports: DemoPorts
  dataDir: string
  /** Everything it printed so far. */
  output(): string
  /** Resolves once it printed "ready", with what it printed; throws with that output if it stopped first. */
  ready(timeoutMs?: number): Promise<string>
  /**
   * Stops it as Ctrl-C does (it stops Medusa, the sandbox and PostgreSQL), SIGKILLs whatever is
   * left — Medusa runs in a process group of its own, which a SIGKILL to the demo's never reaches —
   * and removes its data folder.
   */
  stop(): Promise<void>
}

/**
 * `npm run demo` on free ports and a throwaway data folder, in its own process group (as in a
 * terminal, so a SIGINT to the group reaches npm and the demo). Returns at once: the caller may
 * prepare something else while it starts, then await `ready()`.
 */
export async function launchDemo({ env = {}, echo = false }: { env?: NodeJS.ProcessEnv; echo?: boolean } = {}): Promise<Demo> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "mpesa-demo-"))
  const ports: DemoPorts = { medusa: await freePort(), storefront: await freePort(), sandbox: await freePort(), postgres: await freePort() }
  const child = spawn("npm", ["run", "demo"], {
    cwd: root,
    env: userEnv({
      MPESA_DEMO_DIR: dataDir,
      DEMO_MEDUSA_PORT: String(ports.medusa),
      DEMO_STOREFRONT_PORT: String(ports.storefront),
      DEMO_SANDBOX_PORT: String(ports.sandbox),
      DEMO_POSTGRES_PORT: String(ports.postgres),
      ...env,
    }),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (chunk) => {
      output += chunk
      if (echo) {
        process.stdout.write(chunk)
      }
    })
  }
  return {
    process: child,
    ports,
    dataDir,
    output: () => output,
    async ready(timeoutMs = 600_000) {
      await until(() => /ready in [\d.]+ s/.test(output) || child.exitCode !== null, timeoutMs)
      if (!/ready in/.test(output)) {
        throw new Error(`the demo did not start:\n${output}`)
      }
      return output
    },
    async stop() {
      const medusaPid = (() => {
        try {
          return JSON.parse(readFileSync(path.join(dataDir, "demo.pid"), "utf8")).medusa as number | undefined
        } catch {
          return undefined
        }
      })()
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        signalGroup(child.pid, "SIGINT")
        await until(() => child.exitCode !== null || child.signalCode !== null, 60_000).catch(() => undefined)
      }
      for (const pid of [child.pid, medusaPid]) {
        if (pid) {
          signalGroup(pid, "SIGKILL")
        }
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal)
  } catch {
    // gone already
  }
}
