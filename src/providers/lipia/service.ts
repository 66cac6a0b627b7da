import { LIPIA_DEFAULT_BASE_URL, LipiaClient } from "../../gateways/lipia/client"
import { sharedRedis } from "../../gateways/redis"
import { MpesaProviderService } from "../mpesa-base"
import { optionSpecs, type MpesaProviderOptions } from "../options"

/** M-Pesa through Lipia Online v2. Provider id: `pp_mpesa-lipia_{id}`. */
export class LipiaMpesaService extends MpesaProviderService {
  static identifier = "mpesa-lipia"
  static OPTIONS = optionSpecs("lipia")

  // The base constructor is protected; Medusa's ModuleProvider needs a public one.
  constructor(container: Record<string, unknown>, options: MpesaProviderOptions) {
    super(container, options)
  }

  protected get defaultBaseUrl() {
    return LIPIA_DEFAULT_BASE_URL
  }

  get gatewayName() {
    return "lipia" as const
  }

  protected createGateway(options: MpesaProviderOptions) {
    return new LipiaClient({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      requestsPerSecond: options.requestsPerSecond,
      redis: options.redisUrl ? sharedRedis(options.redisUrl) : undefined,
    })
  }
}
