import type { AwsProblem } from "@/lib/aws/errors";
import type { CacheCost, ValkeyMove } from "./cache-cost";

// The arithmetic of /spend over lines already costed: totals, groups, reservation use and the Valkey list. Pure, so
// the bench and tests run it without a server; lib/data/spend.ts loads the lines.

/** The kinds of cache, as lib/data names them. */
type Kind = "replication-group" | "cache-cluster" | "serverless";

const dayMs = 86_400_000;
/** A reservation ending within this is called out: renewing takes a purchase decision. */
export const expiringWithinDays = 30;

export interface SpendLine {
  account: string;
  region: string;
  id: string;
  kind: Kind;
  engine: string;
  engineVersion: string | null;
  nodeType: string | null;
  nodes: number;
  tags: Record<string, string>;
  href: string;
  cost: CacheCost | null;
}

export interface SpendGroup {
  key: string;
  monthlyUsd: number;
  caches: number;
  unpriced: number;
}

export interface ReservationView {
  account: string;
  region: string;
  id: string;
  nodeType: string;
  engine: string;
  count: number;
  /** Nodes of the fleet it covers now. */
  used: number;
  end: number;
  daysLeft: number;
  expiring: boolean;
  state: string;
}

export interface Spend {
  lines: SpendLine[];
  totalUsd: number;
  unpriced: number;
  groups: Record<"account" | "region" | "engine" | "tag", SpendGroup[]>;
  tagKey: string;
  tagKeys: string[];
  reservations: ReservationView[];
  /** Nodes billed on demand that share a type and family with no reservation: what a purchase could cover. */
  onDemandNodes: number;
  reservedNodes: number;
  valkey: ({ line: SpendLine } & ValkeyMove)[];
  prices: { snapshotDate: string; apiReadAt: number | null; dates: string[]; problem: AwsProblem | null };
  problems: AwsProblem[];
  generatedAt: number;
}

function groupBy(lines: readonly SpendLine[], keyOf: (l: SpendLine) => string): SpendGroup[] {
  const groups = new Map<string, SpendGroup>();
  for (const line of lines) {
    const key = keyOf(line);
    const g = groups.get(key) ?? { key, monthlyUsd: 0, caches: 0, unpriced: 0 };
    g.caches += 1;
    if (line.cost?.monthlyUsd == null) g.unpriced += 1;
    else g.monthlyUsd += line.cost.monthlyUsd;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, monthlyUsd: Math.round(g.monthlyUsd * 100) / 100 })).sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.key.localeCompare(b.key));
}

/** The whole computation over lines, apart from loading them: what tests and the bench call. */
export function summarizeSpend(lines: SpendLine[], tagKey: string, reservations: ReservationView[], now: number): Omit<Spend, "prices" | "problems"> {
  const priced = lines.filter((l) => l.cost?.monthlyUsd != null);
  const reservedNodes = lines.reduce((n, l) => n + (l.cost?.reservedNodes ?? 0), 0);
  return {
    lines,
    totalUsd: Math.round(priced.reduce((sum, l) => sum + l.cost!.monthlyUsd!, 0) * 100) / 100,
    unpriced: lines.length - priced.length,
    groups: {
      account: groupBy(lines, (l) => l.account),
      region: groupBy(lines, (l) => l.region),
      engine: groupBy(lines, (l) => l.engine),
      // Own keys only: a tag key from the URL such as "__proto__" must not read the object's prototype.
      tag: groupBy(lines, (l) => (Object.hasOwn(l.tags, tagKey) ? l.tags[tagKey] : "(untagged)")),
    },
    tagKey,
    tagKeys: [...new Set(lines.flatMap((l) => Object.keys(l.tags)))].sort(),
    reservations,
    onDemandNodes: lines.reduce((n, l) => n + (l.kind === "serverless" ? 0 : l.nodes), 0) - reservedNodes,
    reservedNodes,
    valkey: lines
      .flatMap((line) => (line.cost?.valkey ? [{ line, ...line.cost.valkey }] : []))
      // Largest known saving first; those without a Valkey price after them, by what staying would cost.
      .sort((a, b) => (b.savingMonthlyUsd ?? -Infinity) - (a.savingMonthlyUsd ?? -Infinity) || (b.extendedSupportIfStaysMonthlyUsd ?? 0) - (a.extendedSupportIfStaysMonthlyUsd ?? 0)),
    generatedAt: now,
  };
}

/** Each reservation with how many of the fleet's nodes it covers now and how long it has left. */
export function reservationViews(lines: readonly SpendLine[], held: { key: string; reserved: { id: string; nodeType: string; engine: string; count: number; end: number; state: string }[] }[], now: number): ReservationView[] {
  const used = new Map<string, number>();
  for (const l of lines) for (const share of l.cost?.reservations ?? []) used.set(`${l.account}/${l.region}/${share.id}`, (used.get(`${l.account}/${l.region}/${share.id}`) ?? 0) + share.nodes);
  return held
    .flatMap(({ key, reserved }) => {
      const [account, region] = [key.slice(0, key.lastIndexOf("/")), key.slice(key.lastIndexOf("/") + 1)];
      return reserved.map((r) => {
        const daysLeft = Math.floor((r.end - now) / dayMs);
        return { account, region, id: r.id, nodeType: r.nodeType, engine: r.engine, count: r.count, used: used.get(`${key}/${r.id}`) ?? 0, end: r.end, daysLeft, expiring: r.state === "active" && daysLeft >= 0 && daysLeft <= expiringWithinDays, state: r.state };
      });
    })
    .sort((a, b) => a.end - b.end);
}

