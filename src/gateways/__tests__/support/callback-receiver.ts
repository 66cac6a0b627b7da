import http from "node:http"
import type { AddressInfo } from "node:net"

/** A stand-in for the store's callback endpoint: records what the sandbox POSTs to it. */
export type CallbackReceiver = {
  url: string
  bodies: unknown[]
  close(): Promise<void>
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const bodies: unknown[] = []
  const server = http.createServer((req, res) => {
    let raw = ""
    req.on("data", (chunk) => (raw += chunk))
    req.on("end", () => {
      try {
        bodies.push(JSON.parse(raw))
      } catch {
        bodies.push(raw)
      }
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/mpesa/test`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Everything an error exposes when logged or serialised. */
export function exposed(error: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { inspect } = require("node:util")
  return `${String(error)}\n${JSON.stringify(error)}\n${inspect(error, { depth: 10 })}`
}
