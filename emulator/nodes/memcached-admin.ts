import net from "node:net";

const TIMEOUT_MS = 2_000;

/**
 * Sends one text-protocol command to 127.0.0.1:port and resolves with the reply once `isComplete` accepts it.
 * Memcached has no client library in the project and needs none for admin traffic.
 */
export function memcachedCommand(
  port: number,
  command: string,
  isComplete: (reply: string) => boolean,
  timeoutMs = TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply);
    };
    const timer = setTimeout(
      () => finish(new Error(`memcached on port ${port} did not answer "${command.trim()}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.setEncoding("utf8");
    socket.once("connect", () => socket.write(command));
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (/^(ERROR|CLIENT_ERROR|SERVER_ERROR)/m.test(reply)) finish(new Error(`memcached on port ${port}: ${reply.trim()}`));
      else if (isComplete(reply)) finish(null);
    });
    socket.once("error", (error) => finish(error));
    socket.once("close", () => finish(new Error(`memcached on port ${port} closed the connection`)));
  });
}

export async function ping(port: number): Promise<boolean> {
  try {
    const reply = await memcachedCommand(port, "version\r\n", (r) => r.endsWith("\r\n"));
    return reply.startsWith("VERSION ");
  } catch {
    return false;
  }
}

/** `stats` output as a map ("curr_items" → "12"). */
export async function stats(port: number, group?: string): Promise<Record<string, string>> {
  const reply = await memcachedCommand(port, group ? `stats ${group}\r\n` : "stats\r\n", (r) => r.endsWith("END\r\n"));
  const fields: Record<string, string> = {};
  for (const line of reply.split("\r\n")) {
    const match = /^STAT (\S+) (.*)$/.exec(line);
    if (match) fields[match[1]] = match[2];
  }
  return fields;
}
