// Each spelling of a "return to" address that a browser would follow to another host (or run as script): the
// hardening report's and the usual open-redirect bypass lists'. Shared by the unit test and the one against the app.
/** The variants for an app served at `origin` (some name its own host with a twist: credentials, port, scheme). */
export const offSiteCallbacks = (origin: string): string[] => {
  const own = new URL(origin);
  const otherPort = String(Number(own.port || 80) + 1);
  return [
    "//evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/./\\evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "\t//evil.example",
    "https://evil.example/",
    `${own.protocol}//${own.hostname}:${otherPort}/`,
    `${own.protocol === "https:" ? "http:" : "https:"}//${own.host}/`,
    `${own.protocol}//evil.example@${own.host}/`,
    `${own.protocol}//${own.host}@evil.example/`,
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "///evil.example",
  ];
};
