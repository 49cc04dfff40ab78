import "server-only";
import {
  describeCacheClusters,
  describeReplicationGroups,
  describeServerlessCaches,
  getMetricSeries,
  withMembers,
  type AwsProblem,
  type MetricSeries,
} from "@/lib/aws";
import { dashboardConfig } from "@/lib/env";
import { assessHealth } from "./health";
import { healthFromSeries, healthRequests, type HealthPlan } from "./health-metrics";
import type { ClusterSummary, FleetView, RegionReport } from "./model";
import { toProblem } from "./problems";
import { summarizeNodeCache, summarizeServerless, type BareSummary } from "./summaries";
import { tagsOf } from "./tags";
import { healthWindow, type TimeWindow } from "./time-range";

function settled<T>(result: PromiseSettledResult<T[]>, region: string, what: string, problems: AwsProblem[]): T[] {
  if (result.status === "fulfilled") return result.value;
  problems.push(toProblem(result.reason, region, what));
  return [];
}

async function regionTags(region: string, summaries: BareSummary[], problems: AwsProblem[]): Promise<Record<string, string>[]> {
  const answers = await Promise.allSettled(summaries.map((s) => (s.arn ? tagsOf(region, s.arn) : Promise.resolve({}))));
  const failure = answers.find((a) => a.status === "rejected");
  if (failure) problems.push(toProblem(failure.reason, region, "tags"));
  return answers.map((a) => (a.status === "fulfilled" ? a.value : {}));
}

async function regionMetrics(region: string, plans: HealthPlan[], window: TimeWindow, problems: AwsProblem[]): Promise<Map<string, MetricSeries> | null> {
  if (plans.length === 0) return new Map();
  try {
    return await getMetricSeries(region, healthRequests(plans, window.period), { start: new Date(window.start), end: new Date(window.end) });
  } catch (error) {
    problems.push(toProblem(error, region, "metrics"));
    return null;
  }
}

/**
 * One region's clusters with their health. Calls: DescribeReplicationGroups, DescribeCacheClusters and
 * DescribeServerlessCaches (each paged), GetMetricData for all clusters at once (≤ 500 queries a call), and
 * ListTagsForResource per cluster (cached for minutes). Whatever fails is reported for this region alone.
 */
export async function loadRegion(region: string, window: TimeWindow): Promise<{ report: RegionReport; clusters: ClusterSummary[] }> {
  const problems: AwsProblem[] = [];
  const [groups, clusters, serverless] = await Promise.allSettled([
    describeReplicationGroups(region),
    describeCacheClusters(region),
    describeServerlessCaches(region),
  ]);
  const allClusters = settled(clusters, region, "cache clusters", problems);
  const parts = [
    ...settled(groups, region, "replication groups", problems).map((g) => summarizeNodeCache(withMembers(g, allClusters), region)),
    ...allClusters.filter((c) => !c.replicationGroupId).map((c) => summarizeNodeCache(c, region)),
    ...settled(serverless, region, "serverless caches", problems).map((s) => summarizeServerless(s, region)),
  ];

  const [tags, series] = await Promise.all([
    regionTags(region, parts.map((p) => p.summary), problems),
    regionMetrics(region, parts.map((p) => p.plan), window, problems),
  ]);

  const summaries = parts.map(({ summary, plan }, i): ClusterSummary => {
    const measured = series ? healthFromSeries(plan, series, window) : null;
    const assessment = assessHealth(measured?.figures ?? null, summary.status);
    return { ...summary, tags: tags[i], health: { ...assessment, figures: measured?.figures ?? null, trends: measured?.trends ?? null } };
  });
  return { report: { region, problems: dedupe(problems) }, clusters: summaries };
}

function dedupe(problems: AwsProblem[]): AwsProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message));
}

/** Every configured region at once; a failing region is reported and the others still render. */
export async function loadFleet(window: TimeWindow, now: number, regions = dashboardConfig().regions): Promise<FleetView> {
  const sparkWindow = healthWindow(window, now);
  const perRegion = await Promise.all(regions.map((region) => loadRegion(region, sparkWindow)));
  return {
    window: sparkWindow,
    regions: perRegion.map((r) => r.report),
    clusters: perRegion.flatMap((r) => r.clusters),
    generatedAt: now,
  };
}
