import type { Stat } from "../statistics";
import type { Node } from "./parser";
import type { MathValue, Series } from "./values";

// What evaluating an expression needs from its request, shared by the evaluator and the functions it calls (which
// evaluate their arguments back through it), apart from both so that neither imports the other.

export interface EvalContext {
  /** The request window in epoch seconds: [start, end). */
  start: number;
  end: number;
  /** Period of results that have no series to take one from (a scalar result, TIME_SERIES, SEARCH without one). */
  defaultPeriod: number;
  /** The value of another query, by Id. */
  resolve(id: string): MathValue;
  /** The Ids of the request's MetricStat queries, in request order (METRICS()). */
  metricIds(): readonly string[];
  /** The metrics a SEARCH expression selects, aggregated with `stat` over `period`. */
  search(query: string, stat: Stat, period: number): { series: Series[]; truncated: boolean };
}

export type Evaluate = (node: Node) => MathValue;
