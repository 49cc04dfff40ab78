import { z } from "zod";

// Modules the browser also loads take zod from here. Zod probes `Function("")` to decide whether it may compile
// parsers; under our Content-Security-Policy (no 'unsafe-eval') that probe is refused and reported as a CSP violation
// on every page. Jitless parsing is what the browser ends up with anyway, so say so up front.
z.config({ jitless: true });

export { z };
