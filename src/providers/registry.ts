import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"

import type { GatewayName } from "../gateways/gateway"
import { MpesaGatewayAccess } from "./gateway-access"
import type { MpesaProviderService } from "./mpesa-base"

export function isMpesaProviderId(providerId: unknown): providerId is string {
  return typeof providerId === "string" && /^pp_mpesa-(lipia|lipwa)_/.test(providerId)
}

/**
 * The ids of the payment providers the store has registered, read once per Payment Module
 * instance: the module registers its providers from medusa-config.ts when the process boots,
 * so the list cannot change while it runs — and every callback needs it (before anything else,
 * to check the URL's signature), which made it a database round trip per callback.
 */
const registeredIds = new WeakMap<object, Promise<string[]>>()

function registeredProviderIds(paymentModule: IPaymentModuleService): Promise<string[]> {
  let ids = registeredIds.get(paymentModule)
  if (!ids) {
    ids = paymentModule.listPaymentProviders({}, { select: ["id"] }).then((providers) => providers.map((p) => p.id))
    // A failed read is not remembered: the next callback asks again.
    ids.catch(() => registeredIds.delete(paymentModule))
    registeredIds.set(paymentModule, ids)
  }
  return ids
}

/**
 * Every M-Pesa provider of `gateway` the store has registered (enabled in a region or not: a
 * prompt sent before a provider was switched off can still be paid).
 */
export async function mpesaGatewaysOf(container: MedusaContainer, gateway: GatewayName): Promise<MpesaGatewayAccess[]> {
  const ids = await registeredProviderIds(container.resolve<IPaymentModuleService>(Modules.PAYMENT))
  return ids
    .filter((id) => id.startsWith(`pp_mpesa-${gateway}_`))
    .flatMap((id) => {
      try {
        return [mpesaGateway(container, id)]
      } catch {
        return []
      }
    })
}

type WithProviders = { paymentProviderService_?: { retrieveProvider(id: string): unknown } }

/**
 * The gateway of the M-Pesa provider registered as `providerId`, as the plugin's own code uses
 * it (providers/gateway-access.ts). Providers live in the Payment Module's own container, where
 * the app cannot resolve them; the module keeps them in its provider service
 * (`paymentProviderService_.retrieveProvider`, the same in 2.17.2 and 2.21.2 — medusa-notes
 * §13). Reaching them here, rather than through `getWebhookActionAndData`, means no request
 * header or body can ever choose to make the plugin call the status API.
 */
export function mpesaGateway(container: MedusaContainer, providerId: string): MpesaGatewayAccess {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT) as unknown as WithProviders
  const provider = isMpesaProviderId(providerId) ? paymentModule.paymentProviderService_?.retrieveProvider(providerId) : undefined
  const access = (provider as MpesaProviderService | undefined)?.access
  if (!(access instanceof MpesaGatewayAccess)) {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `The M-Pesa provider ${providerId} is not registered (check the payment module's providers in medusa-config.ts).`
    )
  }
  return access
}
