/**
 * The HTTP layer: routes a request to the Lipia, Lipwa or control API (or the phone page),
 * applies injected faults, records the request and writes the answer. The APIs themselves
 * only ever see a parsed request and return a JSON answer.
 */
import http from "node:http"
import type { FaultQueue } from "./faults"
import { faultBody, malformedBody, refusalFault } from "./faults"
import { type ApiHandler, type ApiResponse, BodyTooLarge, MAX_BODY_BYTES, loggedBody, parseBody, readBody } from "./http"
import type { RequestLog } from "./request-log"
import type { Timers } from "./timers"
import type { Api, FaultMode, ReceivedRequest } from "./types"

export const LIPIA_BASE_PATH = "/lipia/api/v2"
export const LIPWA_BASE_PATH = "/lipwa/api"
export const CONTROL_BASE_PATH = "/__sandbox"

export interface ServerDeps {
  lipia: ApiHandler
  lipwa: ApiHandler
  control: ApiHandler
  phonePage: () => string
  index: () => unknown
  faults: FaultQueue
  requestLog: RequestLog
  timers: Timers
  log: (line: string) => void
}

const AREAS: ReadonlyArray<{ base: string; api: Api | "control" }> = [
  { base: LIPIA_BASE_PATH, api: "lipia" },
  { base: LIPWA_BASE_PATH, api: "lipwa" },
  { base: CONTROL_BASE_PATH, api: "control" },
]

export function createSandboxServer(deps: ServerDeps): http.Server {
  return http.createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      deps.log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, body: { message: "Sandbox internal error" } })
      }
    })
  })
}

async function handle(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? "GET"
  const url = new URL(req.url ?? "/", "http://sandbox.invalid")
  const pathname = url.pathname

  if (method === "GET" && (pathname === "/phone" || pathname === "/phone/")) {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" })
    res.end(deps.phonePage())
    return
  }
  if (method === "GET" && pathname === "/") {
    send(res, { status: 200, body: deps.index() })
    return
  }
  const area = AREAS.find(({ base }) => pathname === base || pathname.startsWith(`${base}/`))
  if (!area) {
    send(res, { status: 404, body: { message: "Not Found" } })
    return
  }

  const api = area.api
  const query = url.searchParams
  let raw: string
  try {
    raw = await readBody(req)
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      send(res, { status: 413, body: { message: `Request body larger than ${MAX_BODY_BYTES} bytes` } })
      return
    }
    throw err
  }
  const body = parseBody(raw, req.headers["content-type"])
  const record = (status: number | null, fault?: FaultMode): void => {
    // The reset request itself is not kept: after a reset the log starts empty.
    if (api === "control" && method === "POST" && pathname === `${CONTROL_BASE_PATH}/reset`) {
      return
    }
    const entry: ReceivedRequest = {
      api,
      method,
      path: pathname,
      query: Object.fromEntries(query),
      status,
      body: loggedBody(body),
      at: new Date().toISOString(),
    }
    if (fault) {
      entry.fault = fault
    }
    deps.requestLog.add(entry)
    // Control reads are the phone page polling every 2 s: not worth a log line.
    if (api !== "control" || method !== "GET") {
      deps.log(`${api} ${method} ${pathname}${url.search} → ${status ?? "socket reset"}${fault ? ` [fault ${fault}]` : ""}`)
    }
  }

  let applied: FaultMode | undefined
  if (api !== "control") {
    const fault = deps.faults.take(api, pathname)
    switch (fault?.mode) {
      case "http_500":
      case "http_503":
        send(res, { status: fault.mode === "http_500" ? 500 : 503, body: faultBody(api, fault.mode) })
        record(fault.mode === "http_500" ? 500 : 503, fault.mode)
        return
      case "http_429":
      case "payment_error": {
        const answer = refusalFault(api, fault.mode)
        send(res, answer)
        record(answer.status, fault.mode)
        return
      }
      case "malformed_json":
        res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" })
        res.end(malformedBody(api))
        record(200, fault.mode)
        return
      case "reset":
        record(null, fault.mode)
        req.socket.destroy()
        return
      case "delay":
        applied = "delay"
        deps.log(`${api} ${method} ${pathname}: delaying ${fault.delayMs} ms [fault delay]`)
        // Resolves false when the sandbox closes first; the socket is gone by then.
        if (!(await deps.timers.sleep(fault.delayMs ?? 0))) {
          return
        }
        break
      default:
        break
    }
  }

  const handler = api === "lipia" ? deps.lipia : api === "lipwa" ? deps.lipwa : deps.control
  const relative = pathname.slice(area.base.length).replace(/\/+$/, "") || "/"
  const response = await handler({ method, path: relative, query, headers: req.headers, body })
  send(res, response)
  record(response.status, applied)
}

function send(res: http.ServerResponse, response: ApiResponse): void {
  if (res.destroyed || res.writableEnded) {
    return
  }
  const text = JSON.stringify(response.body)
  res.writeHead(response.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  })
  res.end(text)
}
