// The emulator's fault endpoints (docs/emulator-faults.md) over HTTP, as the drills code calls them.

export interface FaultResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function faultRequest<T = Record<string, unknown>>(
  emulatorUrl: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<FaultResponse<T>> {
  const response = await fetch(`${emulatorUrl}/_emulator/faults${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}
