import { LIPWA_DEFAULT_BASE_URL, LipwaClient } from "../../gateways/lipwa/client"
import { sharedRedis } from "../../gateways/redis"
import { MpesaProviderService } from "../mpesa-base"
import { optionSpecs, type MpesaProviderOptions } from "../options"

/** M-Pesa through Lipwa. Provider id: `pp_mpesa-lipwa_{id}`. */
export class LipwaMpesaService extends MpesaProviderService {
  static identifier = "mpesa-lipwa"
  static OPTIONS = optionSpecs("lipwa")

  // The base constructor is protected; Medusa's ModuleProvider needs a public one.
  constructor(container: Record<string, unknown>, options: MpesaProviderOptions) {
    super(container, options)
  }

  protected get defaultBaseUrl() {
    return LIPWA_DEFAULT_BASE_URL
  }

  get gatewayName() {
    return "lipwa" as const
  }

  protected createGateway(options: MpesaProviderOptions) {
    return new LipwaClient({
      apiKey: options.apiKey,
      channelId: options.channelId ?? "",
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      requestsPerSecond: options.requestsPerSecond,
      redis: options.redisUrl ? sharedRedis(options.redisUrl) : undefined,
    })
  }
}
