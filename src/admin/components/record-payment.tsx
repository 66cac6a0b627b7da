import { Button, Input, Label, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"

import { kes } from "../lib/format"
import { ProviderSelect } from "./provider-select"
import { sdk } from "../lib/sdk"
import type { Attempt, ProviderSummary } from "../lib/types"

type Recorded = { attempt: Attempt; outcome: "done" | "held" | "retry_later" | "resolved"; message?: string }

/**
 * "Record a payment made outside the prompt": the customer paid the store's Paybill or Till (or
 * a prompt the plugin never saw) and the merchant types the M-Pesa receipt. Where the gateway
 * lists the account's payments (Lipwa) the receipt alone is enough: the server finds its amount.
 * Where it cannot (Lipia) the payment stands on the merchant's word, so the amount (prefilled
 * with what is owed) and a note are asked for, and the form says it will be marked attested.
 */
export const RecordPayment = ({ orderId, outstanding, providers }: { orderId: string; outstanding: number; providers: ProviderSummary[] }) => {
  const queryClient = useQueryClient()
  const [providerId, setProviderId] = useState<string>()
  const [receipt, setReceipt] = useState("")
  const [amount, setAmount] = useState(String(outstanding))
  const [note, setNote] = useState("")
  const [open, setOpen] = useState(false)
  const provider = providers.find((p) => p.provider_id === providerId) ?? providers[0]
  const onWord = !!provider && !provider.lists_transactions
  const ready = !!provider && receipt.trim().length === 10 && (!onWord || (Number(amount) > 0 && note.trim().length >= 3))

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
    onSuccess: (r) => {
      const what = `${r.attempt.receipt} · ${kes(r.attempt.amount_paid)} — ${r.attempt.state_in_words}`
      if (r.outcome === "done") {
        toast.success("Payment recorded", { description: what })
      } else {
        toast.warning("Payment recorded", { description: `${what}. ${r.message ?? ""}` })
      }
      setReceipt("")
      setNote("")
      queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("mpesa-") })
    },
    onError: (error) => toast.error("Payment not recorded", { description: (error as Error).message }),
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
            onChange={(e) => setReceipt(e.target.value.toUpperCase())}
          />
        </div>
        {providers.length > 1 ? (
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall">Gateway</Label>
            <ProviderSelect providers={providers} value={provider?.provider_id} onChange={setProviderId} />
          </div>
        ) : null}
      </div>
      {onWord ? (
        <div className="flex flex-col gap-y-2" data-testid="mpesa-record-attested">
          <Text size="xsmall" className="text-ui-fg-subtle">
            {provider!.label} cannot look receipts up: the payment will be recorded on your word and marked as attested by you, with your note, wherever it
            shows.
          </Text>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="mpesa-record-amount">
              Amount received (KES)
            </Label>
            <Input id="mpesa-record-amount" size="small" type="number" min={1} step={1} value={amount} onChange={(e) => setAmount(e.target.value)} />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall" htmlFor="mpesa-record-note">
              How you checked it
            </Label>
            <Textarea id="mpesa-record-note" placeholder="Seen in the M-Pesa statement" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        </div>
      ) : null}
      <Button size="small" variant="secondary" disabled={!ready} isLoading={record.isPending} onClick={() => record.mutate()}>
        Record payment
      </Button>
    </div>
  )
}
