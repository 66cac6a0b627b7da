import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"

import type { MpesaProviderService } from "../../providers/mpesa-base"

export function isMpesaProviderId(providerId: unknown): providerId is string {
  return typeof providerId === "string" && /^pp_mpesa-(lipia|lipwa)_/.test(providerId)
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
