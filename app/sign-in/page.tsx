import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { safeCallbackPath, signInChoices, signInErrorMessage } from "@/lib/auth/sign-in-options";
import { SignInButtons } from "@/components/auth/sign-in-buttons";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const callbackPath = safeCallbackPath(callbackUrl);
  if (await currentUser()) redirect(callbackPath);
  const choices = signInChoices();
  const message = signInErrorMessage(error);

  return (
    <main className="mx-auto flex max-w-md flex-col gap-6 px-6 py-16">
      <div>
        <h1 className="text-2xl font-semibold">Sign in to CacheDeck</h1>
        {choices.demo && (
          <p className="mt-2 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            Demo mode: pick a demo user. Each one shows what that role may see and do.
          </p>
        )}
      </div>
      {message && (
        <p role="alert" className="rounded-md border border-red-400 bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {message}
        </p>
      )}
      <SignInButtons demoUsers={choices.demoUsers} providers={choices.providers} callbackPath={callbackPath} />
    </main>
  );
}
