// The one error type of the emulator. Every protocol renders it as its own AWS error envelope, so an operation only
// says what went wrong (code, message, HTTP status) and never how the client will see it.
export type Fault = "Sender" | "Receiver";

export class ApiError extends Error {
  constructor(
    /** The model's error code, e.g. "ReplicationGroupNotFoundFault" (not always the shape name). */
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: Fault = "Sender",
    /** The model's shape name when it differs from the code (JSON/CBOR `__type`), e.g. "InvalidParameterValueException". */
    readonly shapeName: string = code,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const invalidParameterValue = (message: string) => new ApiError("InvalidParameterValue", message, 400);
export const invalidParameterCombination = (message: string) => new ApiError("InvalidParameterCombination", message, 400);
export const missingParameter = (name: string) =>
  new ApiError("MissingParameter", `The request must contain the parameter ${name}`, 400);
export const internalFailure = () =>
  new ApiError("InternalFailure", "The request processing has failed because of an unknown error.", 500, "Receiver");
