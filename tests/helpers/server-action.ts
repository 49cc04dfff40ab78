// Posts to a server action the way any HTTP client can, bypassing the UI: a POST to a page URL with the action's id in
// the Next-Action header and the arguments as JSON. Returns the action's result decoded from the RSC response.

export interface ActionResponse {
  status: number;
  location: string | null;
  /** The action's return value, when the response carried one. */
  result: unknown;
  body: string;
}

export async function postServerAction(baseUrl: string, pagePath: string, actionId: string, args: unknown[], cookie?: string): Promise<ActionResponse> {
  const response = await fetch(new URL(pagePath, baseUrl), {
    method: "POST",
    redirect: "manual",
    headers: {
      "Next-Action": actionId,
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Origin: new URL(baseUrl).origin,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(args),
  });
  const body = await response.text();
  // The RSC stream has one row per line, "<id>:<json>"; the action's return value is the row holding `ok`.
  const row = body.split("\n").find((line) => /^[0-9a-f]+:\{"ok":/.test(line));
  return {
    status: response.status,
    location: response.headers.get("location"),
    result: row ? JSON.parse(row.slice(row.indexOf(":") + 1)) : undefined,
    body,
  };
}
