import { z } from "zod";
import { qBool, qDate, qInt, qList, qString } from "../server/input";
import type { RequestContext } from "../server/service";
import { identity } from "./dimensions";
import { validationError } from "./errors";
import { isDynamicLabel, renderLabel } from "./labels";
import { MathError } from "./math/errors";
import type { EvalContext } from "./math/eval-context";
import { evaluate } from "./math/evaluator";
import { parseExpression, type Node } from "./math/parser";
import { seriesFrom, type MathValue, type Series } from "./math/values";
import type { MetricStore } from "./metric-store";
import { decodeToken, encodeToken, fingerprint } from "./paging-token";
import { compileSearch } from "./search-expression";
import { readSeries, searchSeries, searchSeriesFairly, type SearchResult } from "./series-query";
import { alignStart, isValidPeriod, parseStat, type Stat } from "./statistics";
import { TimeSlice } from "../server/time-slice";
import { metricSchema, parseCloudWatchInput, unitSchema } from "./validation";

export const MAX_QUERIES = 500;
/** AWS's cap on the datapoints one GetMetricData call returns: MaxDatapoints' default and its maximum. */
export const MAX_DATAPOINTS = 100_800;
const MAX_EXPRESSION_LENGTH = 2048;
/** Period of an expression that names none and references no MetricStat (a SEARCH on its own): the console's default. */
const FALLBACK_EXPRESSION_PERIOD = 300;
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

const querySchema = z.object({
  Id: qString,
  MetricStat: z.object({ Metric: metricSchema, Period: qInt, Stat: qString, Unit: unitSchema.optional() }).optional(),
  Expression: qString.optional(),
  Label: qString.optional(),
  ReturnData: qBool.optional(),
  Period: qInt.optional(),
  AccountId: qString.optional(),
});
type Query = z.output<typeof querySchema>;

const inputSchema = z.object({
  MetricDataQueries: qList(querySchema),
  StartTime: qDate,
  EndTime: qDate,
  NextToken: qString.optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  MaxDatapoints: qInt.optional(),
  LabelOptions: z.object({ Timezone: qString.optional() }).optional(),
});

interface MessageData {
  Code: string;
  Value: string;
}

interface ResultSeries {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
  messages: MessageData[];
}

export function getMetricData(store: MetricStore) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(inputSchema, raw);
    const start = input.StartTime.getTime() / 1000;
    const end = input.EndTime.getTime() / 1000;
    const maxDatapoints = input.MaxDatapoints ?? MAX_DATAPOINTS;
    const problems = validateRequest(input.MetricDataQueries, start, end, maxDatapoints);
    const expressions = parseExpressions(input.MetricDataQueries, problems);
    if (problems.length > 0) throw validationError(problems);

    const { NextToken, ...request } = input;
    const requestFingerprint = fingerprint(request);
    const offset = NextToken === undefined ? 0 : decodeToken<number>(NextToken, requestFingerprint, "number");

    const evaluator = new RequestEvaluator(store, ctx.region, input.MetricDataQueries, expressions, start, end);
    // Results are computed in request order only as far as this page reaches, and the event loop is handed back
    // between steps: a heavy request costs its own page, never everybody else's latency.
    const slice = new TimeSlice();
    const results: ResultSeries[] = [];
    let points = 0;
    for (const q of input.MetricDataQueries.filter((query) => query.ReturnData !== false)) {
      await evaluator.prefetchSearches(q, slice);
      for (const result of evaluator.results(q)) {
        results.push(result);
        points += result.timestamps.length;
      }
      if (points > offset + maxDatapoints) break;
      await slice.yieldIfDue();
    }
    const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
    return paginate(results, offset, maxDatapoints, descending, requestFingerprint, slice);
  };
}

/** Every problem with the request, worded as CloudWatch words them; all are reported at once. */
function validateRequest(queries: Query[], start: number, end: number, maxDatapoints: number): string[] {
  const problems: string[] = [];
  if (queries.length === 0) problems.push("The parameter MetricDataQueries is required and must not be empty.");
  if (queries.length > MAX_QUERIES) problems.push(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  if (start >= end) problems.push("The parameter StartTime must be less than the parameter EndTime.");
  if (maxDatapoints <= 0) problems.push(`The value ${maxDatapoints} for parameter MaxDatapoints must be greater than 0.`);
  if (maxDatapoints > MAX_DATAPOINTS) {
    problems.push(`The value ${maxDatapoints} for parameter MaxDatapoints must be less than or equal to ${MAX_DATAPOINTS}; page through more with NextToken.`);
  }
  const seen = new Set<string>();
  queries.forEach((q, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    if (!ID_PATTERN.test(q.Id) || q.Id.length > 255) problems.push(`The value ${q.Id} for parameter ${at}.Id is not matching the expected pattern ${ID_PATTERN.source}.`);
    else if (seen.has(q.Id)) problems.push(`The value ${q.Id} for parameter ${at}.Id is a duplicate; each Id must be unique in the request.`);
    seen.add(q.Id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      problems.push(`Exactly one of ${at}.MetricStat and ${at}.Expression must be specified.`);
    }
    if (q.Period !== undefined && !isValidPeriod(q.Period)) {
      problems.push(`The value ${q.Period} for parameter ${at}.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
    }
    if (q.MetricStat) {
      const { Metric, Period, Stat } = q.MetricStat;
      if (!parseStat(Stat)) problems.push(`The value ${Stat} for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
      if (!isValidPeriod(Period)) problems.push(`The value ${Period} for parameter ${at}.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.`);
      if (!Metric.Namespace) problems.push(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
      if (!Metric.MetricName) problems.push(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
    }
    if (q.Expression !== undefined && q.Expression.length > MAX_EXPRESSION_LENGTH) {
      problems.push(`The value for parameter ${at}.Expression must not be longer than ${MAX_EXPRESSION_LENGTH} characters.`);
    }
  });
  return problems;
}

function parseExpressions(queries: Query[], problems: string[]): Map<string, Node> {
  const parsed = new Map<string, Node>();
  for (const q of queries) {
    if (q.Expression === undefined || q.MetricStat !== undefined) continue;
    if (/^\s*SELECT\s/i.test(q.Expression)) {
      problems.push(`Error in expression ${q.Id}: Metrics Insights queries (SELECT ...) are not supported by this emulator; use metric math or SEARCH.`);
      continue;
    }
    try {
      const node = parseExpression(q.Expression);
      checkSearchQueries(node);
      parsed.set(q.Id, node);
    } catch (error) {
      if (!(error instanceof MathError)) throw error;
      problems.push(`Error in expression ${q.Id}: ${error.message}`);
    }
  }
  return parsed;
}

/** A SEARCH's query given as a literal is compiled now, so a malformed one is a validation problem like any other. */
function checkSearchQueries(root: Node) {
  for (const node of nodesOf(root)) {
    if (node.type === "call" && node.name === "SEARCH" && node.args[0]?.type === "string") compileSearch(node.args[0].value);
  }
}

/** Evaluates the queries of one request, each at most once, following references between them. */
class RequestEvaluator {
  private readonly values = new Map<string, MathValue>();
  private readonly evaluating = new Set<string>();
  private readonly byId: Map<string, Query>;
  private readonly messages = new Map<string, MessageData[]>();
  private readonly metricIds: string[];
  private readonly defaultPeriod: number;
  /** SEARCH results computed ahead, by searchKey. */
  private readonly searches = new Map<string, SearchResult>();

  constructor(
    private readonly store: MetricStore,
    private readonly region: string,
    queries: Query[],
    private readonly expressions: Map<string, Node>,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.byId = new Map(queries.map((q) => [q.Id, q]));
    this.metricIds = queries.filter((q) => q.MetricStat).map((q) => q.Id);
    const periods = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
    this.defaultPeriod = periods.length ? Math.min(...periods) : FALLBACK_EXPRESSION_PERIOD;
  }

  /**
   * Runs the SEARCHes of `q` and of the expressions it references ahead of its (synchronous) evaluation, pausing for
   * other requests; a SEARCH whose statistic or period is not a literal is left to the evaluation itself.
   */
  async prefetchSearches(q: Query, slice: TimeSlice, visited = new Set<string>()): Promise<void> {
    const node = this.expressions.get(q.Id);
    if (!node || visited.has(q.Id)) return;
    visited.add(q.Id);
    for (const n of nodesOf(node)) {
      if (n.type === "ref" && this.byId.has(n.name)) await this.prefetchSearches(this.byId.get(n.name)!, slice, visited);
      if (n.type !== "call" || n.name !== "SEARCH") continue;
      const [query, statName, periodArg] = n.args;
      const stat = statName?.type === "string" ? parseStat(statName.value) : undefined;
      const period = periodArg === undefined ? (q.Period ?? this.defaultPeriod) : periodArg.type === "number" ? periodArg.value : NaN;
      if (query?.type !== "string" || !stat || !isValidPeriod(period)) continue;
      const key = searchKey(query.value, stat, period);
      if (this.searches.has(key)) continue;
      this.searches.set(key, await searchSeriesFairly(this.store, this.region, query.value, { stat, period, start: this.start, end: this.end }, slice));
    }
  }

  results(q: Query): ResultSeries[] {
    const value = this.value(q.Id, undefined);
    const messages = this.messages.get(q.Id) ?? [];
    const labelOf = (s: Series, many: boolean): string => {
      if (q.Label === undefined) return q.MetricStat ? q.MetricStat.Metric.MetricName! : many ? s.label : q.Id;
      if (isDynamicLabel(q.Label)) return renderLabel(q.Label, s);
      return many ? `${q.Label} ${s.label}` : q.Label;
    };
    const toResult = (s: Series, many: boolean): ResultSeries => ({ id: q.Id, label: labelOf(s, many), timestamps: s.timestamps, values: s.values, messages });
    if (value.kind === "array") return value.items.map((s) => toResult(s, true));
    if (value.kind === "series") return [toResult(value.series, false)];
    return [toResult(this.constantSeries(value.value, q.Period ?? this.defaultPeriod), false)];
  }

  private value(id: string, from: string | undefined): MathValue {
    const known = this.values.get(id);
    if (known) return known;
    const q = this.byId.get(id);
    if (!q) throw validationError([`Error in expression ${from}: Unrecognized metric id ${id}.`]);
    if (this.evaluating.has(id)) throw validationError([`Error in expression ${from}: Circular dependency through ${id}.`]);
    this.evaluating.add(id);
    try {
      const value = q.MetricStat ? this.metricStat(q) : this.expression(q);
      this.values.set(id, value);
      return value;
    } finally {
      this.evaluating.delete(id);
    }
  }

  private metricStat(q: Query): MathValue {
    const { Metric, Period, Stat, Unit } = q.MetricStat!;
    const id = identity(Metric.Namespace!, Metric.MetricName!, Metric.Dimensions ?? []);
    const label = q.Label !== undefined && !isDynamicLabel(q.Label) ? q.Label : Metric.MetricName!;
    const request = { stat: parseStat(Stat)!, period: Period, start: this.start, end: this.end, unit: Unit };
    const stored = this.store.get(this.region, id);
    if (stored?.seededUntil !== undefined && this.start < stored.seededUntil) {
      const until = new Date(stored.seededUntil * 1000).toISOString().replace(".000Z", "Z");
      this.addMessage(q.Id, { Code: "Seeded", Value: `Points before ${until} are hourly figures from the emulator's "${stored.seedModel}" workload model, not measured` });
    }
    return { kind: "series", series: readSeries(this.store, this.region, id, request, label) };
  }

  private expression(q: Query): MathValue {
    const period = q.Period ?? this.defaultPeriod;
    const ctx: EvalContext = {
      start: this.start,
      end: this.end,
      defaultPeriod: period,
      resolve: (ref) => this.value(ref, q.Id),
      metricIds: () => this.metricIds,
      search: (query, stat, searchPeriod) => {
        const found =
          this.searches.get(searchKey(query, stat, searchPeriod)) ?? searchSeries(this.store, this.region, query, { stat, period: searchPeriod, start: this.start, end: this.end });
        if (found.truncated) this.addMessage(q.Id, { Code: "MaxMetricsExceeded", Value: `SEARCH matched more than ${found.series.length} metrics; the first ${found.series.length} are returned.` });
        return found;
      },
    };
    try {
      return evaluate(this.expressions.get(q.Id)!, ctx);
    } catch (error) {
      if (error instanceof MathError) throw validationError([`Error in expression ${q.Id}: ${error.message}`]);
      throw error;
    }
  }

  /** A number as the final result of an expression: a flat line over the window. */
  private constantSeries(value: number, period: number): Series {
    const timestamps: number[] = [];
    for (let t = alignStart(this.start, period); t < this.end; t += period) timestamps.push(t);
    return seriesFrom("", period, timestamps, timestamps.map(() => value));
  }

  private addMessage(id: string, message: MessageData) {
    const list = this.messages.get(id) ?? [];
    list.push(message);
    this.messages.set(id, list);
  }
}

function searchKey(query: string, stat: Stat, period: number): string {
  return `${period} ${stat.name} ${query}`;
}

/** Every node of an expression tree, parents first (iterative: the tree may be as deep as the parser allows). */
function* nodesOf(root: Node): Generator<Node> {
  const pending = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    yield node;
    if (node.type === "call") pending.push(...node.args);
    else if (node.type === "array") pending.push(...node.items);
    else if (node.type === "unary") pending.push(node.operand);
    else if (node.type === "binary") pending.push(node.left, node.right);
  }
}

/**
 * Pages through the points of all results in request order, `maxDatapoints` at a time. A page lists the results
 * that have points in it (and, on the first page, those with none); a result cut by the page boundary says PartialData.
 * A page of 100,800 points spread over thousands of results is built in steps, like the results themselves.
 */
async function paginate(results: ResultSeries[], offset: number, maxDatapoints: number, descending: boolean, requestFingerprint: string, slice: TimeSlice) {
  const pageEnd = offset + maxDatapoints;
  let cursor = 0;
  const MetricDataResults = [];
  for (const r of results) {
    await slice.yieldIfDue();
    const n = r.timestamps.length;
    const from = Math.min(n, Math.max(0, offset - cursor));
    const to = Math.min(n, Math.max(0, pageEnd - cursor));
    cursor += n;
    if (from === to && !(n === 0 && offset === 0)) continue;
    const order = descending ? [...r.timestamps.keys()].reverse() : [...r.timestamps.keys()];
    const page = order.slice(from, to);
    const partial = to < n || r.messages.some((m) => m.Code === "MaxMetricsExceeded");
    MetricDataResults.push({
      Id: r.id,
      Label: r.label,
      Timestamps: page.map((i) => new Date(r.timestamps[i] * 1000)),
      Values: page.map((i) => r.values[i]),
      StatusCode: partial ? "PartialData" : "Complete",
      Messages: r.messages,
    });
  }
  return { MetricDataResults, NextToken: pageEnd < cursor ? encodeToken(pageEnd, requestFingerprint) : undefined, Messages: [] };
}
