import { ModuleProvider, Modules } from "@medusajs/framework/utils"

import { LipiaMpesaService } from "./service"

export default ModuleProvider(Modules.PAYMENT, { services: [LipiaMpesaService] })
