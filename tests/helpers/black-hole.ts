import net from "node:net";

// A TCP server that accepts every connection and never sends a byte: what a hung load balancer, a dropped route
// behind a proxy or a stuck endpoint looks like to an HTTP client. Used as the AWS endpoint to prove deadlines.

export interface BlackHole {
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections still open (the client has not given up on them yet). */
  open(): number;
  close(): Promise<void>;
}

export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    // Read and drop the request so the client's write completes and it waits for an answer that never comes.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
