// Full-page screenshots of a running CacheDeck (demo mode) in Debian's Chromium, signed in as the demo viewer:
//   tsx scripts/screenshot.ts BASE_URL OUT_DIR name=/path [name=/path ...] [--width=1440] [--dark]
import path from "node:path";
import { launchBrowser } from "../tests/e2e/browser";
import { signIn } from "../tests/e2e/sign-in";

async function main() {
  const args = process.argv.slice(2);
  const [baseUrl, outDir] = args;
  const shots = args.slice(2).filter((a) => !a.startsWith("--")).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] as [string, string]);
  const width = Number(args.find((a) => a.startsWith("--width="))?.slice(8) ?? 1440);
  const dark = args.includes("--dark");
  if (!baseUrl || !outDir || shots.length === 0) throw new Error("usage: tsx scripts/screenshot.ts BASE_URL OUT_DIR name=/path ... [--width=N] [--dark]");
  const browser = await launchBrowser({ viewport: { width, height: 900 }, colorScheme: dark ? "dark" : "light" });
  try {
    const page = await browser.context.newPage();
    await signIn(page, baseUrl, "viewer");
    for (const [name, route] of shots) {
      await page.goto(new URL(route, baseUrl).toString(), { waitUntil: "networkidle" });
      await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"), undefined, { timeout: 30_000 });
      await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
