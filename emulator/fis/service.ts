import type { ServiceDefinition } from "@/emulator/server/service";
import { createExperimentTemplate } from "./api/create-experiment-template";
import { deleteExperimentTemplate } from "./api/delete-experiment-template";
import { getExperiment } from "./api/get-experiment";
import { getExperimentTemplate } from "./api/get-experiment-template";
import { listExperiments } from "./api/list-experiments";
import { startExperiment } from "./api/start-experiment";
import { stopExperiment } from "./api/stop-experiment";
import type { FisExperiments } from "./experiments";

/** AWS Fault Injection Service (2020-12-01) over restJson1: the subset that runs an AZ power interruption. */
export function fisService(experiments: FisExperiments): ServiceDefinition {
  return {
    signingName: "fis",
    version: "2020-12-01",
    xmlNamespace: "",
    xmlListItemNames: {},
    restRoutes: [
      { method: "POST", path: "/experimentTemplates", operation: "CreateExperimentTemplate" },
      { method: "GET", path: "/experimentTemplates/{id}", operation: "GetExperimentTemplate" },
      { method: "DELETE", path: "/experimentTemplates/{id}", operation: "DeleteExperimentTemplate" },
      { method: "POST", path: "/experiments", operation: "StartExperiment" },
      { method: "GET", path: "/experiments", operation: "ListExperiments" },
      { method: "GET", path: "/experiments/{id}", operation: "GetExperiment" },
      { method: "DELETE", path: "/experiments/{id}", operation: "StopExperiment" },
    ],
    operations: {
      CreateExperimentTemplate: createExperimentTemplate(experiments),
      GetExperimentTemplate: getExperimentTemplate(experiments),
      DeleteExperimentTemplate: deleteExperimentTemplate(experiments),
      StartExperiment: startExperiment(experiments),
      ListExperiments: listExperiments(experiments),
      GetExperiment: getExperiment(experiments),
      StopExperiment: stopExperiment(experiments),
    },
  };
}
