import type { ComponentFactory } from "@/emulator/component";
import { FisExperiments } from "@/emulator/fis/experiments";
import { fisService } from "@/emulator/fis/service";
import { FaultInjector } from "./fault-injector";
import { faultRoutes } from "./routes";

/**
 * The fault injector, its admin endpoints on the emulator's port (for the CLI and tests), and AWS Fault Injection
 * Service, whose experiments cut power through the same injector.
 */
export const faultsComponent: ComponentFactory = ({ controlPlane }) => {
  const injector = new FaultInjector(controlPlane);
  const experiments = new FisExperiments(controlPlane, injector);
  return {
    services: [fisService(experiments)],
    extraRoutes: [faultRoutes(injector)],
    stop: async () => {
      experiments.stopAll();
      await injector.stop();
    },
  };
};
