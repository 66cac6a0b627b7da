import { ModuleProvider, Modules } from "@medusajs/framework/utils"

import CaptureAtOnceProvider from "./service"

export default ModuleProvider(Modules.PAYMENT, { services: [CaptureAtOnceProvider] })
