import { ModuleProvider, Modules } from "@medusajs/framework/utils"

import { LipwaMpesaService } from "./service"

export default ModuleProvider(Modules.PAYMENT, { services: [LipwaMpesaService] })
