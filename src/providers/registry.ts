import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"

import type { GatewayName } from "../gateways/gateway"
import type { MpesaProviderService } from "./mpesa-base"

export function isMpesaProviderId(providerId: unknown): providerId is string {
  return typeof providerId === "string" && /^pp_mpesa-(lipia|lipwa)_/.test(providerId)
}

/**
 * Every M-Pesa provider of `gateway` the store has registered (enabled in a region or not: a
 * prompt sent before a provider was switched off can still be paid).
 */
export async function mpesaProvidersOf(container: MedusaContainer, gateway: GatewayName): Promise<MpesaProviderService[]> {
  const providers = await container.resolve<IPaymentModuleService>(Modules.PAYMENT).listPaymentProviders({}, { select: ["id"] })
  return providers
    .filter((p) => p.id.startsWith(`pp_mpesa-${gateway}_`))
    .flatMap((p) => {
      try {
        return [mpesaProvider(container, p.id)]
      } catch {
        return []
      }
    })
}

type WithProviders = { paymentProviderService_?: { retrieveProvider(id: string): unknown } }

/**
 * The M-Pesa provider instance registered as `providerId`. Providers live in the Payment
 * Module's own container, where the app cannot resolve them; the module keeps them in its
 * provider service (`paymentProviderService_.retrieveProvider`, the same in 2.17.2 and 2.21.2 —
 * medusa-notes §13). Reaching them here, rather than through `getWebhookActionAndData`, means
 * no request header or body can ever choose to make the plugin call the status API.
 */
export function mpesaProvider(container: MedusaContainer, providerId: string): MpesaProviderService {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT) as unknown as WithProviders
  const provider = isMpesaProviderId(providerId) ? paymentModule.paymentProviderService_?.retrieveProvider(providerId) : undefined
  if (!provider || typeof (provider as MpesaProviderService).ask !== "function") {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `The M-Pesa provider ${providerId} is not registered (check the payment module's providers in medusa-config.ts).`
    )
  }
  return provider as MpesaProviderService
}
