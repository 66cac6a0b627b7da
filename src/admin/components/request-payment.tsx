import { Button, Input, Label, Text, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"

import { kes, when } from "../lib/format"
import { isMpesaQuery } from "../lib/order-queries"
import { ProviderSelect } from "./provider-select"
import { RefusalAlert, useRefusal } from "./refusal-alert"
import { sdk } from "../lib/sdk"
import type { Attempt, ProviderSummary } from "../lib/types"

/**
 * "Request M-Pesa payment": an STK prompt to the customer's phone (prefilled from the order,
 * editable) for what the order owes — never an amount typed here. The button's amount is sent
 * along (`expected_amount`): if the order changed since it was read, the server refuses (409
 * MPESA_AMOUNT_CHANGED) rather than ask for another amount, and the panel reads it again. While
 * a prompt is live the panel follows it; when it ended without payment, the same button sends it again.
 */
export const RequestPayment = ({
  orderId,
  outstanding,
  phone,
  providers,
  live,
  ended,
}: {
  orderId: string
  outstanding: number
  phone: string | null
  providers: ProviderSummary[]
  live?: Attempt
  /** The newest prompt sent from here, when it ended unpaid: why, and the button sends it again. */
  ended?: Attempt
}) => {
  const queryClient = useQueryClient()
  const [providerId, setProviderId] = useState<string>()
  const [number, setNumber] = useState(phone ?? "")
  const chosen = providerId ?? providers[0]?.provider_id
  const { refusal, show, clear } = useRefusal()
  const send = useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ attempt: Attempt }>(`/admin/mpesa/orders/${orderId}/request-payment`, {
        method: "POST",
        body: { provider_id: chosen, expected_amount: outstanding, ...(number.trim() ? { phone: number.trim() } : {}) },
      }),
    onMutate: clear,
    onSuccess: (r) => {
      toast.success("Prompt sent", { description: `${kes(r.attempt.amount_requested)} to ${r.attempt.phone_masked}` })
      queryClient.invalidateQueries({ predicate: (q) => isMpesaQuery(q.queryKey) })
    },
    onError: (error) => {
      show(error)
      // What the order owes may be what changed: the button shows it again.
      queryClient.invalidateQueries({ predicate: (q) => isMpesaQuery(q.queryKey) })
    },
  })

  if (live) {
    return (
      <div className="flex flex-col gap-y-1" data-testid="mpesa-request-live">
        <Text size="small" weight="plus">
          Waiting for the customer's PIN…
        </Text>
        <Text size="small" className="text-ui-fg-subtle">
          {kes(live.amount_requested)} asked of {live.phone_masked}, sent {when(live.pushed_at)}. This panel follows the prompt: it says when it is paid, or why not.
        </Text>
      </div>
    )
  }
  return (
    <div className="flex flex-col gap-y-2" data-testid="mpesa-request">
      <Text size="small" weight="plus">
        Request M-Pesa payment
      </Text>
      {ended ? (
        <Text size="small" className="text-ui-fg-subtle" data-testid="mpesa-request-ended">
          The last prompt ({kes(ended.amount_requested)} to {ended.phone_masked}): {ended.state_in_words}
          {ended.message ? ` — ${ended.message}` : ""}
        </Text>
      ) : null}
      <div className="grid grid-cols-2 gap-2">
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="mpesa-request-phone">
            Customer's M-Pesa number
          </Label>
          <Input
            id="mpesa-request-phone"
            size="small"
            placeholder="0712 345 678"
            value={number}
            onChange={(e) => {
              setNumber(e.target.value)
              clear()
            }}
          />
        </div>
        {providers.length > 1 ? (
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall">Gateway</Label>
            <ProviderSelect
              providers={providers}
              value={chosen}
              onChange={(id) => {
                setProviderId(id)
                clear()
              }}
            />
          </div>
        ) : null}
      </div>
      <RefusalAlert refusal={refusal} title="Prompt not sent." testId="mpesa-request-refused" />
      <Button size="small" disabled={!chosen} isLoading={send.isPending} onClick={() => send.mutate()}>
        {ended ? "Send the prompt again" : "Send prompt"} for {kes(outstanding)}
      </Button>
      {chosen ? null : (
        <Text size="xsmall" className="text-ui-fg-subtle">
          Choose the gateway that sends the prompt.
        </Text>
      )}
    </div>
  )
}
