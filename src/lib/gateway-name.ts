/** The aggregators the plugin speaks to. Provider ids are `pp_mpesa-<gateway>_<id>`. */
export type GatewayName = "lipia" | "lipwa"

export const GATEWAY_NAMES: readonly GatewayName[] = ["lipia", "lipwa"]
