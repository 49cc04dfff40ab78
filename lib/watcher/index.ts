import "server-only";
import { serveDetail } from "./detail-feed";
import { installDetailServer } from "./registry";

// The watcher's public door. Modules inside lib/watcher import ./registry directly; this file wires the pieces that
// would otherwise import each other in a circle.
installDetailServer(serveDetail);

export * from "./registry";
