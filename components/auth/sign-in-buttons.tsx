"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

interface Props {
  demoUsers: { id: string; name: string; role: string; description: string }[];
  providers: { id: string; name: string }[];
  callbackPath: string;
}

const buttonClass =
  "w-full rounded-md border border-slate-300 bg-white px-4 py-3 text-left hover:border-sky-500 focus:outline-none focus-visible:ring-2 " +
  "focus-visible:ring-sky-500 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900";

export function SignInButtons({ demoUsers, providers, callbackPath }: Props) {
  const [pending, setPending] = useState<string | null>(null);
  const start = (provider: string, options: Record<string, string> = {}) => {
    setPending(provider + (options.user ?? ""));
    void signIn(provider, { callbackUrl: callbackPath, ...options });
  };

  if (demoUsers.length === 0 && providers.length === 0) {
    return <p>No sign-in provider is configured. See docs/auth.md.</p>;
  }
  return (
    <ul className="flex flex-col gap-3">
      {demoUsers.map((user) => (
        <li key={user.id}>
          <button type="button" className={buttonClass} disabled={pending !== null} onClick={() => start("demo", { user: user.id })}>
            <span className="block font-medium">
              Sign in as {user.name} <span className="text-sm text-slate-500 dark:text-slate-400">({user.role})</span>
            </span>
            <span className="block text-sm text-slate-600 dark:text-slate-300">{user.description}</span>
          </button>
        </li>
      ))}
      {providers.map((provider) => (
        <li key={provider.id}>
          <button type="button" className={buttonClass} disabled={pending !== null} onClick={() => start(provider.id)}>
            Continue with {provider.name}
          </button>
        </li>
      ))}
    </ul>
  );
}
