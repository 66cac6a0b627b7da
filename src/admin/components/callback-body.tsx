import { Badge, Text } from "@medusajs/ui"

import { when } from "../lib/format"
import type { LoggedCallback } from "../lib/types"

/** The body as received, pretty-printed when it is JSON (the log keeps the raw text). */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

/** A logged callback, whole: when, whether its signature held, what the store answered, the headers that matter and the body. */
export const CallbackBody = ({ callback }: { callback: LoggedCallback }) => (
  <div className="bg-ui-bg-subtle my-1 flex flex-col gap-y-1 rounded-md p-2" data-testid="mpesa-callback-body">
    <div className="flex flex-wrap items-center gap-1">
      <Badge size="2xsmall" color={callback.signature_valid ? "green" : "red"}>
        {callback.signature_valid ? "Signature valid" : "Signature invalid"}
      </Badge>
      <Badge size="2xsmall" color={callback.answer_status < 300 ? "green" : "orange"}>
        Answered {callback.answer_status}
        {callback.answer_code ? ` ${callback.answer_code}` : ""}
      </Badge>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {when(callback.received_at)} · {callback.gateway} · named {callback.named_id ?? "nothing"}
      </Text>
    </div>
    {callback.answer_message && callback.answer_message !== "ok" ? <Text size="xsmall">{callback.answer_message}</Text> : null}
    <pre className="txt-compact-xsmall overflow-x-auto whitespace-pre-wrap break-all font-mono">
      {Object.entries(callback.headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join("\n")}
      {"\n\n"}
      {pretty(callback.body) || "(empty body)"}
    </pre>
  </div>
)
