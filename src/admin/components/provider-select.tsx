import { Select } from "@medusajs/ui"

/** A choice among the store's M-Pesa providers (as GET /admin/mpesa/setup or /orders/:id lists them). */
export const ProviderSelect = ({
  providers,
  value,
  onChange,
  label = "Gateway",
  showId = false,
}: {
  providers: Array<{ provider_id: string; label: string }>
  value: string | undefined
  onChange: (providerId: string) => void
  label?: string
  /** Name each by its provider id too, where one gateway may be configured twice. */
  showId?: boolean
}) => (
  <Select size="small" value={value} onValueChange={onChange}>
    <Select.Trigger aria-label={label}>
      <Select.Value placeholder={label} />
    </Select.Trigger>
    <Select.Content>
      {providers.map((p) => (
        <Select.Item key={p.provider_id} value={p.provider_id}>
          {showId ? `${p.label} · ${p.provider_id}` : p.label}
        </Select.Item>
      ))}
    </Select.Content>
  </Select>
)
