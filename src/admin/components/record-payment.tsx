import { Alert, Button, Input, Label, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useEffect, useState } from "react"

import { kes } from "../lib/format"
import { isMpesaQuery } from "../lib/order-queries"
import { defaultRecordProvider, recordFormHints } from "../lib/record-form"
import { ProviderSelect } from "./provider-select"
import { RefusalAlert, useRefusal } from "./refusal-alert"
import { sdk } from "../lib/sdk"
import type { Attempt, ProviderSummary } from "../lib/types"

type Recorded = { attempt: Attempt; outcome: "done" | "held" | "retry_later" | "resolved"; message?: string }

/**
 * "Record a payment made outside the prompt": the customer paid the store's Paybill or Till (or
 * a prompt the plugin never saw) and the merchant types the M-Pesa receipt. The form starts on
 * a gateway that lists the account's payments (Lipwa), where the receipt alone is enough: the
 * server finds its amount. Where it cannot (Lipia) the payment stands on the merchant's word, so
 * the amount (prefilled with what is owed) and a note are asked for, and the form says it will
 * be marked attested. Each field that keeps the button disabled says why; a refusal stays until
 * dismissed or the input changes; recorded, the panel refreshes Medusa's own cards on the page.
 */
export const RecordPayment = ({ orderId, outstanding, providers }: { orderId: string; outstanding: number; providers: ProviderSummary[] }) => {
  const queryClient = useQueryClient()
  const [providerId, setProviderId] = useState<string>()
  const [receipt, setReceipt] = useState("")
  const [amount, setAmount] = useState(String(outstanding))
  const [note, setNote] = useState("")
  const [open, setOpen] = useState(false)
  const [notTaken, setNotTaken] = useState<string>()
  const { refusal, show, clear } = useRefusal()
  const provider = providers.find((p) => p.provider_id === providerId) ?? defaultRecordProvider(providers)
  const onWord = !!provider && !provider.lists_transactions
  const hints = recordFormHints({ receipt, onWord, amount, note })
  const ready = !!provider && !Object.keys(hints).length
  // What is owed is read fresh (an edit, shipping): the prefilled amount follows it.
  useEffect(() => setAmount(String(outstanding)), [outstanding])

  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value)
      clear()
      setNotTaken(undefined)
    }

  const record = useMutation({
    mutationFn: () =>
      sdk.client.fetch<Recorded>(`/admin/mpesa/orders/${orderId}/record-payment`, {
        method: "POST",
        body: {
          provider_id: provider!.provider_id,
          receipt: receipt.trim(),
          ...(onWord ? { amount: Number(amount), note: note.trim() } : {}),
        },
      }),
    onMutate: clear,
    onSuccess: (r) => {
      const what = `${r.attempt.receipt} · ${kes(r.attempt.amount_paid)} — ${r.attempt.state_in_words}`
      if (r.outcome === "done") {
        toast.success("Payment recorded", { description: what })
      } else {
        setNotTaken(`${what}. ${r.message ?? ""}`)
      }
      setReceipt("")
      setNote("")
      // The panel sees the money move on its next read and refreshes Medusa's own cards (widgets/mpesa-order-panel.tsx).
      queryClient.invalidateQueries({ predicate: (q) => isMpesaQuery(q.queryKey) })
    },
    onError: show,
  })

  // Folded by default: asking for the payment is the common case; recording one is the exception.
  if (!open) {
    return (
      <div data-testid="mpesa-record">
        <Button size="small" variant="transparent" onClick={() => setOpen(true)}>
          Record a payment made outside the prompt…
        </Button>
      </div>
    )
  }
  return (
    <div className="flex flex-col gap-y-2" data-testid="mpesa-record">
      <Text size="small" weight="plus">
        Record a payment made outside the prompt
      </Text>
      <Text size="xsmall" className="text-ui-fg-subtle">
        The customer paid your Paybill or Till: enter the receipt from their M-Pesa message. It pays the {kes(outstanding)} owed.
      </Text>
      <div className="grid grid-cols-2 gap-2">
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="mpesa-record-receipt">
            M-Pesa receipt
          </Label>
          <Input
            id="mpesa-record-receipt"
            size="small"
            placeholder="THK75EOH2Z"
            maxLength={12}
            value={receipt}
            aria-describedby={hints.receipt ? "mpesa-record-receipt-hint" : undefined}
            onChange={(e) => edited(setReceipt)(e.target.value.toUpperCase())}
          />
        </div>
        {providers.length > 1 ? (
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall">Gateway</Label>
            <ProviderSelect providers={providers} value={provider?.provider_id} onChange={edited(setProviderId)} />
          </div>
        ) : null}
      </div>
      <Hint id="mpesa-record-receipt-hint" text={hints.receipt} />
      {provider && !onWord ? (
        <Text size="xsmall" className="text-ui-fg-subtle">
          {provider.label} looks the receipt up in your account's payments: its amount and date are checked for you.
        </Text>
      ) : null}
      {onWord ? (
        <div className="flex flex-col gap-y-2" data-testid="mpesa-record-attested">
          <Text size="xsmall" className="text-ui-fg-subtle">
            {provider!.label} cannot look receipts up: the payment will be recorded on your word and marked as attested by you, with your note, wherever it
            shows.
            {providers.some((p) => p.lists_transactions) ? " Choose a gateway that can look it up if the money went to its Paybill or Till." : ""}
          </Text>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="mpesa-record-amount">
              Amount received (KES)
            </Label>
            <Input
              id="mpesa-record-amount"
              size="small"
              type="number"
              min={1}
              step={1}
              value={amount}
              aria-describedby={hints.amount ? "mpesa-record-amount-hint" : undefined}
              onChange={(e) => edited(setAmount)(e.target.value)}
            />
            <Hint id="mpesa-record-amount-hint" text={hints.amount} />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="mpesa-record-note">
              How you checked it
            </Label>
            <Textarea
              id="mpesa-record-note"
              placeholder="Seen in the M-Pesa statement"
              value={note}
              aria-describedby={hints.note ? "mpesa-record-note-hint" : undefined}
              onChange={(e) => edited(setNote)(e.target.value)}
            />
            <Hint id="mpesa-record-note-hint" text={hints.note} />
          </div>
        </div>
      ) : null}
      <RefusalAlert refusal={refusal} title="Payment not recorded." testId="mpesa-record-refused" />
      {notTaken ? (
        <Alert variant="warning" dismissible data-testid="mpesa-record-held">
          <span className="font-medium">Payment recorded.</span> {notTaken}
        </Alert>
      ) : null}
      <Button size="small" variant="secondary" disabled={!ready} isLoading={record.isPending} onClick={() => record.mutate()}>
        Record payment
      </Button>
    </div>
  )
}

/** Why the button is disabled, under the field that keeps it so. */
const Hint = ({ id, text }: { id: string; text?: string }) =>
  text ? (
    <Text id={id} size="xsmall" className="text-ui-fg-subtle" data-testid={id}>
      {text}
    </Text>
  ) : null
