import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { can, canInSomeAccount, type Permission, type Role } from "@/lib/auth/permissions";
import { SignOutButton } from "@/components/auth/sign-out-button";

const roleBadge: Record<string, string> = {
  viewer: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  operator: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  admin: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
};

// `global`: a power over the whole deployment, held by the global role alone; the others are offered to whoever holds
// them in some account (the page then shows those accounts).
const links: { href: string; label: string; permission: Permission; global?: true }[] = [
  { href: "/overview", label: "Overview", permission: "fleet.read" },
  { href: "/spend", label: "Spend", permission: "fleet.read" },
  { href: "/drills", label: "Drills", permission: "drill.read" },
  { href: "/audit", label: "Audit log", permission: "audit.read-own" },
  { href: "/costs", label: "CacheDeck's AWS calls", permission: "costs.read", global: true },
];

/** Someone only accounts' own rules admit: their role in each of those accounts ("operator in staging"). */
function roleList(accountRoles: Record<string, Role>): string {
  return Object.entries(accountRoles).map(([account, role]) => `${role} in ${account}`).join(", ");
}

/** Who is signed in, with their role, links to the overview, drills and (when they may read them) the audit log and AWS costs, and sign-out. */
export async function UserMenu() {
  const user = await currentUser();
  if (!user) return null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm" data-testid="user-menu">
      {links.filter((link) => (link.global ? can(user.role, link.permission) : canInSomeAccount(user, link.permission))).map((link) => (
        <Link key={link.href} href={link.href} className="text-slate-600 hover:underline dark:text-slate-300">
          {link.label}
        </Link>
      ))}
      <span className="hidden font-medium sm:inline">{user.name}</span>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${roleBadge[user.role ?? "viewer"]}`} data-testid="user-role">
        {user.role ?? roleList(user.accountRoles)}
      </span>
      <SignOutButton />
    </div>
  );
}
