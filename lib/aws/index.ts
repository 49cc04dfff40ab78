import "server-only";

export * from "./call-counter";
export * from "./cloudwatch";
export * from "./elasticache";
export * from "./errors";
