import "server-only";

export * from "./call-counter";
export * from "./cloudwatch";
export * from "./elasticache";
export * from "./errors";
export * from "./model";
export { memberRoles, readFailover, withRoleEvidence, type IsMasterReading, type RoleEvidence } from "./roles";
export { withMembers } from "./translate";
export * from "./tagging";
export { asSharedReader } from "./shared-reader";
