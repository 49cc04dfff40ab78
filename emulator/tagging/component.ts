import type { ComponentFactory } from "../component";
import { getResources } from "./get-resources";

/**
 * The Resource Groups Tagging API (2017-01-26, awsJson1_1) on the shared port: GetResources over ElastiCache's tags,
 * which the control plane keeps (AddTagsToResource, fleet files).
 */
export const taggingComponent: ComponentFactory = ({ controlPlane }) => ({
  services: [
    {
      signingName: "tagging",
      version: "2017-01-26",
      xmlNamespace: "",
      targetPrefix: "ResourceGroupsTaggingAPI_20170126",
      jsonVersion: "1.1",
      xmlListItemNames: {},
      operations: { GetResources: getResources(controlPlane) },
    },
  ],
});
