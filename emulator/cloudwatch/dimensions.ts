export interface Dimension {
  Name: string;
  Value: string;
}

/** What names a metric: CloudWatch treats every distinct dimension set as a separate metric. */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  /** Sorted by name. */
  dimensions: readonly Dimension[];
}

export function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function metricKey(id: MetricIdentity): string {
  return JSON.stringify([id.namespace, id.metricName, ...id.dimensions.flatMap((d) => [d.Name, d.Value])]);
}

export function identity(namespace: string, metricName: string, dimensions: readonly Dimension[] = []): MetricIdentity {
  return { namespace, metricName, dimensions: sortDimensions(dimensions) };
}
