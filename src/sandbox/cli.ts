/**
 * `mpesa-sandbox`: runs the sandbox from a terminal (the demo, manual testing, other
 * languages' clients). Logs every request and settlement to stdout, phone numbers masked.
 */
import { parseArgs } from "node:util"
import { startSandbox } from "./index"
import { magicNumberTable } from "./magic-numbers"
import type { Sandbox, SandboxOptions } from "./types"

const USAGE = `Usage: mpesa-sandbox [options]

A local Lipia Online v2 + Lipwa M-Pesa API sandbox with a phone page.

Options:
  --port <n>                 port to listen on (default 4010; 0 = any free port)
  --host <host>              interface to bind (default 127.0.0.1)
  --manual                   ordinary numbers wait for Approve/Decline on /phone
                             (default: they are approved after --approve-delay)
  --approve-delay <ms>       delay before a prompt settles by itself (default 1500)
  --lipia-key <key>          accept only this Lipia API key (repeatable; default: any)
  --lipwa-key <key>          accept only this Lipwa API key (repeatable; default: any)
  --lipwa-channel <id>       accept only this Lipwa channel_id (repeatable; default: any)
  --lipwa-rate-limit <n>     Lipwa requests per second per key before 429 (default 10)
  --lipia-not-found-for <ms> a fresh Lipia push is "not found" on the status API this long (default 0)
  -h, --help                 show this help
`

class UsageError extends Error {}

export async function main(argv: string[] = process.argv.slice(2)): Promise<Sandbox | undefined> {
  let options: SandboxOptions
  try {
    const parsed = parseOptions(argv)
    if (!parsed) {
      process.stdout.write(USAGE)
      return undefined
    }
    options = parsed
  } catch (err) {
    process.stderr.write(`mpesa-sandbox: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`)
    process.exitCode = 2
    return undefined
  }

  const sandbox = await startSandbox({
    ...options,
    logger: (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`),
  })
  process.stdout.write(banner(sandbox, options))

  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: stopping the sandbox…\n`)
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
  return sandbox
}

/** undefined means --help. */
function parseOptions(argv: string[]): SandboxOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      manual: { type: "boolean", default: false },
      "approve-delay": { type: "string", default: "1500" },
      "lipia-key": { type: "string", multiple: true },
      "lipwa-key": { type: "string", multiple: true },
      "lipwa-channel": { type: "string", multiple: true },
      "lipwa-rate-limit": { type: "string", default: "10" },
      "lipia-not-found-for": { type: "string", default: "0" },
      help: { type: "boolean", short: "h", default: false },
    },
  })
  if (values.help) {
    return undefined
  }
  return {
    port: integer("--port", values.port, 0, 65535),
    host: values.host,
    manual: values.manual,
    approveDelayMs: integer("--approve-delay", values["approve-delay"], 0),
    lipiaApiKeys: values["lipia-key"],
    lipwaApiKeys: values["lipwa-key"],
    lipwaChannels: values["lipwa-channel"],
    lipwaRateLimit: integer("--lipwa-rate-limit", values["lipwa-rate-limit"], 1),
    lipiaNotFoundForMs: integer("--lipia-not-found-for", values["lipia-not-found-for"], 0),
  }
}

function integer(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value)
  if (!/^\d+$/.test(value ?? "") || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number between ${min} and ${max}, got "${value}"`)
  }
  return n
}

function banner(sandbox: Sandbox, options: SandboxOptions): string {
  const keys = (list: string[] | undefined) => (list ? `${list.length} key(s) configured` : "any non-empty bearer token")
  const mode = options.manual
    ? "manual: ordinary numbers wait for Approve/Decline on the phone page"
    : `auto: ordinary numbers are approved after ${options.approveDelayMs} ms`
  return `
M-Pesa sandbox (Lipia Online v2 + Lipwa) listening on ${sandbox.url}

  Lipia base URL   ${sandbox.lipiaBaseUrl}    (${keys(options.lipiaApiKeys)})
  Lipwa base URL   ${sandbox.lipwaBaseUrl}       (${keys(options.lipwaApiKeys)}; channel_id: ${
    options.lipwaChannels ? options.lipwaChannels.join(", ") : "any"
  })
  Phone page       ${sandbox.url}/phone
  Control API      ${sandbox.url}/__sandbox

  Mode: ${mode}

Magic numbers (any accepted form works: 0700000001, 254700000001, +254700000001):
${magicNumberTable()}

Press Ctrl+C to stop.

`
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`mpesa-sandbox: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
