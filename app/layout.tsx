import type { Metadata } from "next";
import Link from "next/link";
import { UserMenu } from "@/components/auth/user-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: "CacheDeck",
  description: "Operations dashboard for AWS ElastiCache",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2 dark:border-slate-800">
          <Link href="/" className="font-semibold">
            CacheDeck
          </Link>
          <UserMenu />
        </header>
        {children}
      </body>
    </html>
  );
}
