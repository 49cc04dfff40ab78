import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { SignOutButton } from "@/components/auth/sign-out-button";

const roleBadge: Record<string, string> = {
  viewer: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  operator: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  admin: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
};

/** Who is signed in, with their role, a link to the audit log when they may read it, and sign-out. */
export async function UserMenu() {
  const user = await currentUser();
  if (!user) return null;
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="user-menu">
      {can(user.role, "audit.read-own") && (
        <Link href="/audit" className="text-slate-600 hover:underline dark:text-slate-300">
          Audit log
        </Link>
      )}
      <span className="font-medium">{user.name}</span>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${roleBadge[user.role]}`} data-testid="user-role">
        {user.role}
      </span>
      <SignOutButton />
    </div>
  );
}
