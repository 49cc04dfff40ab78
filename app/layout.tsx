import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { UserMenu } from "@/components/auth/user-menu";
import { ThemeToggle, themeScript } from "@/components/ui/theme-toggle";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "CacheDeck", template: "%s · CacheDeck" },
  description: "Operations dashboard for AWS ElastiCache",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The proxy's per-request CSP nonce (lib/auth/security-headers.ts): without it the browser refuses this script.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-[1600px] flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2">
            <Link href="/" className="font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-sky-600">
              CacheDeck
            </Link>
            <div className="flex flex-wrap items-center justify-end gap-3">
              <ThemeToggle />
              <UserMenu />
            </div>
          </div>
        </header>
        <div id="main" className="mx-auto max-w-[1600px] px-4 py-4">
          {children}
        </div>
      </body>
    </html>
  );
}
