// What the HTTP layer needs to know about a service: how to recognise it, how to render it, and its operations.
// Operations take plain input (query strings arrive as strings; JSON/CBOR as typed values, so validate with the
// helpers in ./input.ts) and return plain objects with AWS's PascalCase member names; the protocol renders them.
// Timestamps are Dates and map members (e.g. ExtendedStatistics) are JS Maps, so each protocol can render them its way.
/** Who signed a request, from its access key (see emulator/sts/sessions.ts). */
export interface Caller {
  /** The account the request acts in. */
  account: string;
  /** What GetCallerIdentity answers: arn:aws:iam::<account>:root, or arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  arn: string;
  userId: string;
  /** Set for STS session credentials (ASIA…): the role session, so AssumeRole can tell role chaining apart. */
  session?: { roleName: string; sessionName: string };
}

export interface RequestContext {
  requestId: string;
  region: string;
  /** Set by the HTTP server when the emulator knows its accounts; absent for calls made from inside (fleet files). */
  caller?: Caller;
  protocol: "query" | "json" | "cbor" | "rest-json";
  /** Receipt time, so operations and their events agree on "now". */
  receivedAt: Date;
  /** Set only by a fleet file (never by a request): the nodes this call creates are simulated (scale mode). */
  simulatedNodes?: boolean;
}

/** A restJson1 operation's HTTP binding, e.g. { method: "GET", path: "/experiments/{id}", operation: "GetExperiment" }. */
export interface RestRoute {
  method: string;
  /** Literal segments and `{label}`s, each label arriving as an input member of that name. */
  path: string;
  operation: string;
}

export type Operation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown> | void>;

export interface ServiceDefinition {
  /** SigV4 signing name: "elasticache" or "monitoring". */
  signingName: string;
  /** API version sent in query requests, e.g. "2015-02-02". */
  version: string;
  /** XML namespace of query responses. */
  xmlNamespace: string;
  /** JSON/CBOR target prefix, e.g. "GraniteServiceVersion20100801"; absent for query-only services. */
  targetPrefix?: string;
  /** awsJson version of the service's JSON protocol: 1.0 (CloudWatch, the default) or 1.1 (Resource Groups Tagging). */
  jsonVersion?: "1.0" | "1.1";
  /** Namespace of JSON/CBOR `__type` values, e.g. "com.amazonaws.cloudwatch". */
  errorTypeNamespace?: string;
  /** JSON/CBOR `__type` shape name by error code where the model names them apart, e.g. InvalidParameterValue → InvalidParameterValueException. */
  errorShapeNames?: Readonly<Record<string, string>>;
  /** XML element name of the items of each list member, by member name; lists not named here use "member". */
  xmlListItemNames: Readonly<Record<string, string>>;
  operations: Readonly<Record<string, Operation>>;
  /** restJson1 services (FIS) are told apart by method and path rather than by a target header or an Action. */
  restRoutes?: readonly RestRoute[];
}
