import net from "node:net";

// Ports handed out recently by this process. Between picking a port and the node binding it, another node started
// in parallel could pick the same one; remembering them for a while avoids that race within one emulator.
const recentlyAllocated = new Map<number, number>();
const RECENT_MS = 60_000;

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port right now. */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

/** A port on 127.0.0.1 that is free now and was not handed out by this process in the last minute. */
export async function allocatePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of recentlyAllocated) if (now - at > RECENT_MS) recentlyAllocated.delete(port);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(0);
    if (!recentlyAllocated.has(port)) {
      recentlyAllocated.set(port, now);
      return port;
    }
  }
  throw new Error("could not find a free TCP port on 127.0.0.1");
}

/** Marks a caller-chosen port as taken so allocatePort does not hand it to another node. */
export function reservePort(port: number): void {
  recentlyAllocated.set(port, Date.now());
}
