import { Badge, Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery } from "@tanstack/react-query"
import { useState } from "react"

import { MODE_WORDS } from "../../lib/format"
import { sdk } from "../../lib/sdk"
import type { GatewayMode } from "../../lib/types"

type Provider = {
  provider_id: string
  gateway: string
  label: string
  base_url: string
  /** Decided by the server (src/lib/gateway-mode.ts), which knows every spelling of a live URL (`:443`, an upper-case host). */
  mode: GatewayMode
  callback_url: string
  key_fingerprint: string
  manual_refunds: boolean
}
type CallbackTest = { result: "reachable" | "not_reachable" | "wrong_scheme" | "refused"; url: string; detail: string; likely_cause?: string }

const MODE_COLOR: Record<GatewayMode, "green" | "blue" | "purple"> = { live: "green", sandbox: "blue", test: "purple" }

const RESULT_WORDS: Record<CallbackTest["result"], string> = {
  reachable: "Reachable",
  not_reachable: "Not reachable",
  wrong_scheme: "Wrong scheme",
  refused: "Refused",
}

/** Each configured provider, and a test that the aggregators can reach the store's callback URL. */
export const SetupCard = () => {
  const { data } = useQuery({ queryKey: ["mpesa-setup"], queryFn: () => sdk.client.fetch<{ providers: Provider[] }>("/admin/mpesa/setup") })
  return (
    <Container className="divide-y p-0" data-testid="mpesa-setup">
      <div className="px-6 py-4">
        <Heading level="h2">Set-up check</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          A wrong public URL, or a firewall in front of /hooks, is the most common reason M-Pesa orders stay pending.
        </Text>
      </div>
      {(data?.providers ?? []).map((provider) => (
        <ProviderRow key={provider.provider_id} provider={provider} />
      ))}
    </Container>
  )
}

const ProviderRow = ({ provider }: { provider: Provider }) => {
  const [test, setTest] = useState<CallbackTest>()
  const run = useMutation({
    mutationFn: () => sdk.client.fetch<{ test: CallbackTest }>("/admin/mpesa/setup/test-callback", { method: "POST", body: { provider_id: provider.provider_id } }),
    onSuccess: (r) => setTest(r.test),
    onError: (error) => toast.error("Test callback URL", { description: (error as Error).message }),
  })
  return (
    <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="mpesa-setup-provider">
      <div className="flex items-center gap-x-2">
        <Text size="small" weight="plus">
          {provider.label} · {provider.provider_id}
        </Text>
        <Badge size="2xsmall" color={MODE_COLOR[provider.mode]} data-testid="mpesa-setup-mode">
          {MODE_WORDS[provider.mode]}
        </Badge>
      </div>
      <Text size="xsmall" className="text-ui-fg-subtle">
        API {provider.base_url} · key {provider.key_fingerprint} · refunds {provider.manual_refunds ? "recorded by hand" : "refused"}
      </Text>
      <Text size="xsmall" className="text-ui-fg-subtle">
        Callbacks go to {provider.callback_url}
      </Text>
      <div className="flex items-center gap-x-2">
        <Button size="small" variant="secondary" isLoading={run.isPending} onClick={() => run.mutate()}>
          Test callback URL
        </Button>
        {test ? (
          <Text size="small" data-testid="mpesa-callback-test">
            <Badge size="2xsmall" color={test.result === "reachable" ? "green" : "red"}>
              {RESULT_WORDS[test.result]}
            </Badge>{" "}
            {test.detail} {test.likely_cause ?? ""}
          </Text>
        ) : null}
      </div>
    </div>
  )
}
