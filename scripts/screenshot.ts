// Takes full-page screenshots of dashboard URLs in Debian's Chromium: tsx scripts/screenshot.ts URL OUT.png [WIDTH] [dark]
import { launchBrowser } from "../tests/e2e/browser";

async function main() {
  const [url, out, width = "1440", scheme] = process.argv.slice(2);
  if (!url || !out) throw new Error("usage: tsx scripts/screenshot.ts URL OUT.png [WIDTH] [dark]");
  const browser = await launchBrowser({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme === "dark" ? "dark" : "light" });
  try {
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: "networkidle" });
    await page.waitForSelector("main:not([aria-busy])", { timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"), undefined, { timeout: 30_000 });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
