/**
 * The small HTTP vocabulary the API handlers share: a parsed request in, a JSON answer out.
 * Handlers never touch sockets, which keeps them easy to read and the faults in one place.
 */
import { createHash } from "node:crypto"
import type { IncomingHttpHeaders, IncomingMessage } from "node:http"

export type ParsedBody =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "malformed"; raw: string }
  /** Sent with a Content-Type other than JSON. */
  | { kind: "not_json"; raw: string }

export interface ApiRequest {
  method: string
  /** Path below the API's base path, e.g. "/payments/stk-push" (no trailing slash). */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: ParsedBody
}

export interface ApiResponse {
  status: number
  body: unknown
}

export type ApiHandler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>

/** Sandbox choice: bodies above 1 MB are refused (no payment body comes close). */
export const MAX_BODY_BYTES = 1024 * 1024

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge("Request body too large"))
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

/**
 * Sandbox choice, following how Express's `json()` parser (what Node APIs like these run on)
 * behaves: a body is read as JSON only when Content-Type says JSON; otherwise it is as if no
 * body was sent, and the missing fields are reported.
 */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (!raw.trim()) {
    return { kind: "empty" }
  }
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? "")) {
    return { kind: "not_json", raw }
  }
  try {
    return { kind: "json", value: JSON.parse(raw) as unknown }
  } catch {
    return { kind: "malformed", raw }
  }
}

/** The body as a request log shows it: JSON as received, else the raw text. */
export function loggedBody(body: ParsedBody): unknown {
  switch (body.kind) {
    case "empty":
      return undefined
    case "json":
      // A key named in a control body (a till payment's `api_key`) is never kept, like the Authorization header.
      return isKeyed(body.value) ? { ...body.value, api_key: "[redacted]" } : body.value
    default:
      return body.raw
  }
}

function isKeyed(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "api_key" in value
}

/** The JSON object a handler validates; anything else counts as no fields at all. */
export function bodyObject(body: ParsedBody): Record<string, unknown> | undefined {
  if (body.kind === "json") {
    const v = body.value
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  }
  return body.kind === "malformed" ? undefined : {}
}

/** `Authorization: Bearer <token>` → token (sandbox choice: the scheme is matched case-insensitively). */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S.*)$/i.exec((headers.authorization ?? "").trim())
  return match ? match[1].trim() : undefined
}

/** Whether a token is accepted: one of `allowed`, or any non-empty token when no list is set. */
export function tokenAccepted(token: string | undefined, allowed: string[] | undefined): token is string {
  return !!token && (!allowed || allowed.includes(token))
}

/** A stable, non-reversible id for an API key, so the key itself is never kept. */
export function accountOf(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16)
}

/** An absolute http(s) URL, as a callback_url must be. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}
