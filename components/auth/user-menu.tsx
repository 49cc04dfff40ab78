import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { can, type Permission } from "@/lib/auth/permissions";
import { SignOutButton } from "@/components/auth/sign-out-button";

const roleBadge: Record<string, string> = {
  viewer: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  operator: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  admin: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
};

const links: { href: string; label: string; permission: Permission }[] = [
  { href: "/overview", label: "Overview", permission: "fleet.read" },
  { href: "/spend", label: "Spend", permission: "fleet.read" },
  { href: "/drills", label: "Drills", permission: "drill.read" },
  { href: "/audit", label: "Audit log", permission: "audit.read-own" },
  { href: "/costs", label: "CacheDeck's AWS calls", permission: "costs.read" },
];

/** Who is signed in, with their role, links to the overview, drills and (when they may read them) the audit log and AWS costs, and sign-out. */
export async function UserMenu() {
  const user = await currentUser();
  if (!user) return null;
  return (
    <div className="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm" data-testid="user-menu">
      {links.filter((link) => can(user.role, link.permission)).map((link) => (
        <Link key={link.href} href={link.href} className="text-slate-600 hover:underline dark:text-slate-300">
          {link.label}
        </Link>
      ))}
      <span className="hidden font-medium sm:inline">{user.name}</span>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${roleBadge[user.role]}`} data-testid="user-role">
        {user.role}
      </span>
      <SignOutButton />
    </div>
  );
}
