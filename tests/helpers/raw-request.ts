import http from "node:http";

// An HTTP request with exactly the headers given, Host included (fetch always sends the URL's own Host), the way a
// browser on a rebound DNS name or any other client can send it.

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, method: options.method ?? "GET", path: `${target.pathname}${target.search}`, headers: options.headers, timeout: 30_000 },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${options.method ?? "GET"} ${url} got no answer within 30 s`)));
    request.on("error", reject);
    request.end(options.body);
  });
}
