import http from "node:http";
import type { AddressInfo } from "node:net";

// Shared plumbing of the test proxies that sit between the app and the emulator (counting calls, denying regions).

/**
 * Sends the request on to `upstream` unchanged and streams the answer back; 502 when upstream is unreachable.
 * `deliver`, when given, decides when the answer (already received) goes back: a late answer to an early question.
 */
export function forwardTo(upstream: URL, request: http.IncomingMessage, response: http.ServerResponse, body?: Buffer, deliver?: (send: () => void) => void): void {
  const forward = http.request(
    { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
    (answer) => {
      if (!deliver) {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () =>
        deliver(() => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(Buffer.concat(chunks));
        }),
      );
    },
  );
  forward.on("error", () => {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  });
  if (body) forward.end(body);
  else request.pipe(forward);
}

/** Listens on a free loopback port; returns the URL and a close() that also drops kept-alive connections. */
export async function listenOnLoopback(server: http.Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
