import type { ComponentFactory } from "@/emulator/component";
import { FaultInjector } from "./fault-injector";
import { faultRoutes } from "./routes";

/** The fault injector and its admin endpoints on the emulator's port. */
export const faultsComponent: ComponentFactory = ({ controlPlane }) => {
  const injector = new FaultInjector(controlPlane);
  return { extraRoutes: [faultRoutes(injector)], stop: () => injector.stop() };
};
