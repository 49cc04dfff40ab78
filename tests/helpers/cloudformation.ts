import { parse, type CollectionTag, type ScalarTag } from "yaml";

// Reads a CloudFormation template the way CloudFormation does for the parts CacheDeck's templates use: the short-form
// intrinsic functions (!Ref, !Sub, !GetAtt, !If …), parameters with their constraints, conditions, and resources whose
// condition is false left out. An intrinsic it does not know is an error, so a template never half-evaluates.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Template = {
  Parameters?: Record<string, { Type: string; Default?: string; AllowedValues?: string[]; AllowedPattern?: string; MinLength?: number; MaxLength?: number }>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, Json> }>;
  Outputs?: Record<string, { Condition?: string; Value: Json }>;
};

const shortForms = ["Ref", "Sub", "GetAtt", "If", "Equals", "Not", "And", "Or", "Join", "Select", "Split", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Condition"];

function longForm(name: string, value: unknown): Json {
  if (name === "Ref" || name === "Condition") return { [name]: value as Json };
  if (name === "GetAtt" && typeof value === "string") return { "Fn::GetAtt": value.split(".", 2) };
  return { [`Fn::${name}`]: value as Json };
}

const customTags: (ScalarTag | CollectionTag)[] = shortForms.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) } as ScalarTag,
  { tag: `!${name}`, collection: "seq", resolve: (seq) => longForm(name, seq.toJSON()) } as CollectionTag,
  { tag: `!${name}`, collection: "map", resolve: (map) => longForm(name, map.toJSON()) } as CollectionTag,
]);

/** The template as CloudFormation's JSON form (short-form tags turned into `Ref` / `Fn::*` objects). */
export function parseTemplate(text: string): Template {
  return parse(text, { customTags, uniqueKeys: true, merge: false }) as Template;
}

export interface Pseudo {
  partition: string;
  accountId: string;
  region: string;
}

export interface Stack {
  /** Resources whose condition holds, with every intrinsic function evaluated. */
  resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  outputs: Record<string, Json>;
}

const NO_VALUE = Symbol("AWS::NoValue");

/** Checks the parameters as CloudFormation does at create time: unknown, missing, outside AllowedValues or the pattern. */
function resolveParameters(template: Template, given: Record<string, string>): Record<string, string> {
  const declared = template.Parameters ?? {};
  for (const name of Object.keys(given)) if (!(name in declared)) throw new Error(`unknown parameter ${name}`);
  return Object.fromEntries(
    Object.entries(declared).map(([name, spec]) => {
      const value = given[name] ?? spec.Default;
      if (value === undefined) throw new Error(`parameter ${name} needs a value`);
      if (spec.AllowedValues && !spec.AllowedValues.includes(value)) throw new Error(`parameter ${name}: ${value} is not one of ${spec.AllowedValues.join(", ")}`);
      if (spec.AllowedPattern && !new RegExp(spec.AllowedPattern).test(value)) throw new Error(`parameter ${name}: ${value} does not match ${spec.AllowedPattern}`);
      if (spec.MinLength !== undefined && value.length < spec.MinLength) throw new Error(`parameter ${name}: shorter than ${spec.MinLength}`);
      if (spec.MaxLength !== undefined && value.length > spec.MaxLength) throw new Error(`parameter ${name}: longer than ${spec.MaxLength}`);
      return [name, value];
    }),
  );
}

/** Evaluates the template for `parameters` in an account, as a stack created from it would hold it. */
export function evaluateTemplate(template: Template, parameters: Record<string, string>, pseudo: Pseudo): Stack {
  const params = resolveParameters(template, parameters);
  const conditions = new Map<string, boolean>();

  const exists = (logicalId: string): boolean => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId}`);
    return resource.Condition === undefined || condition(resource.Condition);
  };

  const ref = (name: string): unknown => {
    if (name === "AWS::Partition") return pseudo.partition;
    if (name === "AWS::AccountId") return pseudo.accountId;
    if (name === "AWS::Region") return pseudo.region;
    if (name === "AWS::NoValue") return NO_VALUE;
    if (name in params) return params[name];
    if (!exists(name)) throw new Error(`Ref to ${name}, whose condition is false`);
    const { Type } = template.Resources[name];
    // What Ref returns for the resource types the template uses: a role's name, a managed policy's ARN.
    if (Type === "AWS::IAM::Role") return roleName(name);
    if (Type === "AWS::IAM::ManagedPolicy") return `arn:${pseudo.partition}:iam::${pseudo.accountId}:policy/${value(template.Resources[name].Properties?.ManagedPolicyName)}`;
    throw new Error(`Ref to a ${Type} is not supported here`);
  };

  const roleName = (logicalId: string): string => String(value(template.Resources[logicalId].Properties?.RoleName));

  const getAtt = (logicalId: string, attribute: string): string => {
    if (!exists(logicalId)) throw new Error(`GetAtt of ${logicalId}, whose condition is false`);
    const { Type } = template.Resources[logicalId];
    if (Type === "AWS::IAM::Role" && attribute === "Arn") return `arn:${pseudo.partition}:iam::${pseudo.accountId}:role/${roleName(logicalId)}`;
    throw new Error(`GetAtt ${logicalId}.${attribute} of a ${Type} is not supported here`);
  };

  const sub = (text: string, variables: Record<string, unknown>): string =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in variables) return String(variables[name]);
      if (name.includes(".") && !name.startsWith("AWS::")) {
        const [logicalId, attribute] = name.split(".", 2);
        return getAtt(logicalId, attribute);
      }
      return String(ref(name));
    });

  function condition(name: string): boolean {
    if (!conditions.has(name)) {
      const expression = template.Conditions?.[name];
      if (expression === undefined) throw new Error(`no condition ${name}`);
      conditions.set(name, value(expression) as boolean);
    }
    return conditions.get(name)!;
  }

  function value(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(value).filter((v) => v !== NO_VALUE);
    if (node === null || typeof node !== "object") return node;
    const entries = Object.entries(node as Record<string, unknown>);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && (key === "Ref" || key === "Condition" || key.startsWith("Fn::"))) {
      const args = argument as unknown[];
      switch (key) {
        case "Ref":
          return ref(argument as string);
        case "Condition":
          return condition(argument as string);
        case "Fn::GetAtt":
          return getAtt(args[0] as string, args[1] as string);
        case "Fn::Sub":
          return typeof argument === "string" ? sub(argument, {}) : sub(args[0] as string, value(args[1]) as Record<string, unknown>);
        case "Fn::If":
          return condition(args[0] as string) ? value(args[1]) : value(args[2]);
        case "Fn::Equals":
          return value(args[0]) === value(args[1]);
        case "Fn::Not":
          return !value(args[0]);
        case "Fn::And":
          return args.every((a) => value(a) === true);
        case "Fn::Or":
          return args.some((a) => value(a) === true);
        case "Fn::Join":
          return (value(args[1]) as unknown[]).join(args[0] as string);
        default:
          throw new Error(`${key} is not supported here`);
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, value(v)]).filter(([, v]) => v !== NO_VALUE));
  }

  const resources: Stack["resources"] = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (exists(logicalId)) resources[logicalId] = { Type: resource.Type, Properties: value(resource.Properties ?? {}) as Record<string, Json> };
  }
  const outputs: Stack["outputs"] = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition === undefined || condition(output.Condition)) outputs[name] = value(output.Value) as Json;
  }
  return { resources, outputs };
}
