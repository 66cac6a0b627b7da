import { Badge, Button, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"

import { MIN_NOTE_LENGTH } from "../../payment/recorded-payment"
import { FLAG_WORDS, kes, orderWords, when } from "../lib/format"
import { refreshAfterPayment } from "../lib/order-queries"
import { sdk } from "../lib/sdk"
import type { Attempt, Recheck } from "../lib/types"
import { RefusalAlert, useRefusal } from "./refusal-alert"

/**
 * One payment that needs the merchant: what happened, what to do, and the actions (re-check,
 * mark resolved, place the order, accept a claim). On the M-Pesa page's "Needs attention" and
 * on the attempt's own page.
 */
export const AttentionRow = ({ attempt }: { attempt: Attempt }) => {
  const queryClient = useQueryClient()
  const [note, setNote] = useState("")
  const { refusal, show, clear } = useRefusal()
  // An accepted claim or a re-check that settled pays an order: Medusa's cached order pages are stale too.
  const refresh = () => refreshAfterPayment(queryClient)
  // A refusal stays until dismissed or the note changes: "already resolved by amina@…" is read, not missed.
  const fail = show
  const recheck = useMutation({
    mutationFn: () => sdk.client.fetch<Recheck>(`/admin/mpesa/attempts/${attempt.id}/recheck`, { method: "POST" }),
    onSuccess: (r) => {
      if (r.error) {
        show(new Error(r.error))
      } else {
        toast.info("M-Pesa", { description: r.answer ?? r.attempt.state_in_words })
      }
      refresh()
    },
    onError: fail,
  })
  const resolve = useMutation({
    mutationFn: () => sdk.client.fetch(`/admin/mpesa/attempts/${attempt.id}/resolve`, { method: "POST", body: { note } }),
    onSuccess: () => {
      toast.success("Marked resolved")
      refresh()
    },
    onError: fail,
  })
  const place = useMutation({
    mutationFn: () => sdk.client.fetch<{ attempt: Attempt; order_id?: string }>(`/admin/mpesa/attempts/${attempt.id}/place-order`, { method: "POST" }),
    onSuccess: (r) => {
      toast.success("Order placed", { description: orderWords(r.attempt) })
      refresh()
    },
    onError: fail,
  })
  const accept = useMutation({
    mutationFn: () => sdk.client.fetch<{ outcome: string }>(`/admin/mpesa/attempts/${attempt.id}/accept`, { method: "POST", body: { note } }),
    onSuccess: () => {
      toast.success("Payment accepted", { description: "It pays its order once, marked as accepted on your word." })
      refresh()
    },
    onError: fail,
  })
  const placeable = attempt.attention.some((a) => a.flag === "paid_without_order")
  // A claim the gateway cannot confirm: the merchant checks the portal, then accepts it with the note.
  const acceptable = attempt.attention.some((a) => a.flag === "unverified")
  const typed = note.trim().length
  // The buttons that write the note into the ledger wait for it, and say so.
  const noteHint =
    typed < MIN_NOTE_LENGTH
      ? `${acceptable ? "Mark resolved and Accept payment need" : "Mark resolved needs"} a note of at least ${MIN_NOTE_LENGTH} characters${typed ? ` (${typed} typed)` : ""}: how you checked or settled it.`
      : undefined

  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="mpesa-attention-row">
      <div className="flex items-center gap-x-2">
        {attempt.attention.map((a) => (
          <Badge key={a.flag} color="orange" size="2xsmall">
            {FLAG_WORDS[a.flag] ?? a.flag}
          </Badge>
        ))}
        <Text size="small" weight="plus">
          {kes(attempt.amount_paid ?? attempt.amount_requested)} · {attempt.receipt ?? "no receipt"} · {attempt.phone_masked} · {when(attempt.pushed_at)}
          {orderWords(attempt) ? ` · ${orderWords(attempt)}` : ""}
        </Text>
      </div>
      {attempt.attention.map((a) => (
        <Text key={a.flag} size="small">
          {a.what} <span className="text-ui-fg-subtle">{a.todo}</span>
        </Text>
      ))}
      <div className="flex items-end gap-x-2">
        <Textarea rows={1} placeholder={acceptable ? "How did you check it? Or how was it settled? (kept in the ledger)" : "How was it settled? (kept in the ledger)"} value={note}
          aria-describedby={noteHint ? `mpesa-note-hint-${attempt.id}` : undefined}
          onChange={(e) => {
            setNote(e.target.value)
            clear()
          }}
        />
        <Button size="small" variant="secondary" disabled={!!noteHint} isLoading={resolve.isPending} onClick={() => resolve.mutate()}>
          Mark resolved
        </Button>
        <Button size="small" variant="secondary" isLoading={recheck.isPending} onClick={() => recheck.mutate()}>
          Re-check
        </Button>
        {placeable ? (
          <Button size="small" isLoading={place.isPending} onClick={() => place.mutate()}>
            Place the order
          </Button>
        ) : null}
        {acceptable ? (
          <Button size="small" disabled={!!noteHint} isLoading={accept.isPending} onClick={() => accept.mutate()} data-testid="mpesa-accept-claim">
            Accept payment
          </Button>
        ) : null}
      </div>
      {noteHint ? (
        <Text id={`mpesa-note-hint-${attempt.id}`} size="xsmall" className="text-ui-fg-subtle" data-testid="mpesa-note-hint">
          {noteHint}
        </Text>
      ) : null}
      <RefusalAlert refusal={refusal} title="Not done." testId="mpesa-attention-refused" />
    </div>
  )
}
