import { ApiError } from "../server/api-error";

// CloudWatch's errors. The codes are the model's `error.code`; the JSON/CBOR shape names come from the service's
// errorShapeNames table, so shared helpers (parseInput's InvalidParameterValue) render right as well.

export const CLOUDWATCH_ERROR_SHAPES: Readonly<Record<string, string>> = {
  InvalidParameterValue: "InvalidParameterValueException",
  InvalidParameterCombination: "InvalidParameterCombinationException",
  MissingParameter: "MissingRequiredParameterException",
  InternalServiceError: "InternalServiceFault",
  LimitExceeded: "LimitExceededFault",
  InvalidNextToken: "InvalidNextToken",
  ValidationError: "ValidationException",
  ResourceNotFound: "ResourceNotFound",
  InvalidFormat: "InvalidFormatFault",
};

export const invalidValue = (message: string) => new ApiError("InvalidParameterValue", message, 400);
export const invalidCombination = (message: string) => new ApiError("InvalidParameterCombination", message, 400);
export const missingParameter = (name: string) => new ApiError("MissingParameter", `The parameter ${name} is required.`, 400);
export const invalidNextToken = () => new ApiError("InvalidNextToken", "The NextToken is not valid for this request.", 400);
export const resourceNotFound = (message: string) => new ApiError("ResourceNotFound", message, 404);
export const invalidFormat = (message: string) => new ApiError("InvalidFormat", message, 400);
export const limitExceeded = (message: string) => new ApiError("LimitExceeded", message, 400);
/** GetMetricData reports every problem of a request at once, one per line, under the unmodelled ValidationError. */
export const validationError = (messages: readonly string[]) => new ApiError("ValidationError", messages.join("\n"), 400);

/** `MetricData.0.Dimensions.1.Name` → `MetricData.member.1.Dimensions.member.2.Name`, as AWS names list members. */
export function memberPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `member.${p + 1}` : String(p))).join(".");
}
