import { Text } from "@medusajs/ui"
import { useState } from "react"

import { EVENT_WORDS, ORIGIN_WORDS, orderNumber, when } from "../lib/format"
import type { Attempt } from "../lib/types"
import { CallbackBody } from "./callback-body"

/**
 * One attempt's story, oldest first; a callback opens to show what was received. Shown in the
 * order panel and on the attempt's own page. A capture names the order it paid by number.
 */
export const AttemptTimeline = ({ attempt }: { attempt: Attempt }) => {
  const [open, setOpen] = useState<string>()
  const callbacks = new Map((attempt.callbacks ?? []).map((c) => [c.id, c]))
  const order = orderNumber(attempt)
  return (
    <li data-testid="mpesa-attempt">
      <Text size="xsmall" className="text-ui-fg-subtle">
        {attempt.reference ?? attempt.id} · {ORIGIN_WORDS[attempt.origin] ?? attempt.origin} · {attempt.state_in_words}
        {attempt.failure_reason ? ` — ${attempt.failure_reason}` : ""}
      </Text>
      <ul className="border-ui-border-base ml-1 mt-1 border-l pl-3">
        {(attempt.timeline ?? []).map((entry, i) => {
          const callback = entry.callback_id ? callbacks.get(entry.callback_id) : undefined
          return (
            <li key={i}>
              <Text size="xsmall">
                {when(entry.at)} — {EVENT_WORDS[entry.event] ?? entry.event}
                {entry.event === "captured" && order ? ` on order ${order}` : ""}
                {entry.detail ? ` (${entry.detail})` : ""}
                {callback ? (
                  <button type="button" className="text-ui-fg-interactive ml-1 underline" onClick={() => setOpen(open === callback.id ? undefined : callback.id)}>
                    {open === callback.id ? "hide" : "show"}
                  </button>
                ) : null}
              </Text>
              {callback && open === callback.id ? <CallbackBody callback={callback} /> : null}
            </li>
          )
        })}
      </ul>
    </li>
  )
}
