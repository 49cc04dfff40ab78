import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { permissions, roles, can, type Role } from "@/lib/auth/permissions";
import { AZ_POWER_ACTION } from "@/lib/aws/fis";
import { operationsIn, operationsUnder } from "../helpers/aws-operations";
import { evaluateTemplate, parseTemplate, type Stack } from "../helpers/cloudformation";
import { block, blocksOf, interpolate, locals, readModule, reference, variable as variableBlock, type Module } from "../helpers/terraform";

// The member-account roles as code against what the code calls. docs/iam-policy.md's table says, for each IAM
// permission, which AWS operation in lib/aws needs it, for which CacheDeck permission, and which role grants it. This
// test holds the three together: every operation lib/aws calls has its row, every row is needed by a call, each row's
// role matches the app's permission table, and the CloudFormation template and the Terraform module grant each role
// exactly its rows (cumulatively: operator ⊇ read-only, admin ⊇ operator) — not one action, resource or condition more.

const ROOT = path.resolve(__dirname, "../..");
const TEMPLATE = path.join(ROOT, "infra/cloudformation/cachedeck-member-roles.yaml");
const MODULE = path.join(ROOT, "infra/terraform/member-roles");
const DOC = path.join(ROOT, "docs/iam-policy.md");

const ACCOUNT = "123456789012";
const pseudo = { partition: "aws", accountId: ACCOUNT, region: "eu-west-1" };
const HUB = "arn:aws:iam::111122223333:role/cachedeck-app";
const EXTERNAL_ID = "cachedeck-payments-prod-7f3a";

const memberRoles = ["CacheDeckReadOnly", "CacheDeckOperator", "CacheDeckAdmin"] as const;
type MemberRole = (typeof memberRoles)[number];
const FIS_ROLE = "CacheDeckFisExperiment";
/** Rows for the identity CacheDeck runs as: documented, never granted by a member role. */
const HUB_ROLE = "CacheDeck's own principal";
/** The member role CacheDeck assumes in an account where people are at most viewers, operators, admins. */
const memberRoleFor: Record<Role, MemberRole> = { viewer: "CacheDeckReadOnly", operator: "CacheDeckOperator", admin: "CacheDeckAdmin" };

// ---- the table ----------------------------------------------------------------------------------------------------

interface Row {
  action: string;
  resources: string[];
  condition: string;
  calledAs: string[];
  permission: string;
  role: string;
}

const unquote = (cell: string) => cell.replace(/`/g, "").trim();

function readTable(markdown: string): Row[] {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => line.startsWith("| IAM action |"));
  if (header < 0) throw new Error("docs/iam-policy.md has no table starting with | IAM action |");
  const columns = lines[header].split("|").slice(1, -1).map((c) => c.trim());
  expect(columns).toEqual(["IAM action", "resource", "condition", "needed by", "called as", "CacheDeck permission", "granted by"]);
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split("|").slice(1, -1);
    if (cells.length !== columns.length) throw new Error(`table row with ${cells.length} cells: ${line}`);
    const [action, resource, condition, , calledAs, permission, role] = cells;
    rows.push({
      action: unquote(action),
      resources: resource.split("<br>").map(unquote),
      condition: unquote(condition),
      calledAs: [...calledAs.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
      permission: unquote(permission),
      role: unquote(role),
    });
  }
  return rows;
}

/** One string per (action, resource, condition) a policy allows: what the comparisons compare. */
const grant = (action: string, resource: string, condition: string) => `${action} on ${resource}${condition ? ` if ${condition}` : ""}`;

function grantsOfRows(rows: Row[]): string[] {
  return rows.flatMap((row) => row.resources.map((resource) => grant(row.action, resource, row.condition)));
}

function rowsGrantedBy(rows: Row[], role: string): Row[] {
  const level = memberRoles.indexOf(role as MemberRole);
  return level < 0 ? rows.filter((r) => r.role === role) : rows.filter((r) => memberRoles.slice(0, level + 1).includes(r.role as MemberRole));
}

// ---- policies as the template and the module state them ---------------------------------------------------------

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);
const inAccount = (text: string) => text.replaceAll(ACCOUNT, "<account>");

function conditionText(conditions: { test: string; variable: string; values: string[] }[]): string {
  return conditions
    .map((c) => `${c.test} ${c.variable} = ${c.values.map(inAccount).join(" | ")}`)
    .sort()
    .join(" and ");
}

/** An IAM policy document in JSON form (CloudFormation's, or a policy file's). */
type PolicyDocument = { Statement: Record<string, unknown>[] };

function cfnConditions(condition: unknown): { test: string; variable: string; values: string[] }[] {
  return Object.entries((condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, keys]) =>
    Object.entries(keys).map(([variable, values]) => ({ test, variable, values: asList(values) })),
  );
}

function grantsOfDocument(document: PolicyDocument): string[] {
  return document.Statement.flatMap((statement) => {
    expect(statement.Effect, "only Allow statements").toBe("Allow");
    expect(statement.NotAction ?? statement.NotResource, "no NotAction / NotResource (they grant everything else)").toBeUndefined();
    const condition = conditionText(cfnConditions(statement.Condition));
    return asList(statement.Action).flatMap((action) => asList(statement.Resource).map((resource) => grant(action, inAccount(resource), condition)));
  });
}

/** A trust policy as one line per statement: who may assume the role, and on which condition. */
function trustOfDocument(document: PolicyDocument): string[] {
  return document.Statement.map((statement) => {
    const principal = Object.entries(statement.Principal as Record<string, unknown>).flatMap(([type, ids]) => asList(ids).map((id) => `${type}:${id}`));
    return `${statement.Effect} ${principal.sort().join(",")} ${asList(statement.Action).join(",")} if ${conditionText(cfnConditions(statement.Condition))}`;
  });
}

const trustOfCacheDeckRoles = `Allow AWS:${HUB} sts:AssumeRole if StringEquals sts:ExternalId = ${EXTERNAL_ID}`;
const trustOfFisRole =
  "Allow Service:fis.amazonaws.com sts:AssumeRole if ArnLike aws:SourceArn = arn:aws:fis:*:<account>:experiment/* and StringEquals aws:SourceAccount = <account>";

function cfnRole(stack: Stack, roleName: string) {
  const found = Object.values(stack.resources).filter((r) => r.Type === "AWS::IAM::Role" && r.Properties.RoleName === roleName);
  if (found.length !== 1) throw new Error(`the stack has ${found.length} roles named ${roleName}`);
  return found[0].Properties;
}

/** Everything a role of the stack is allowed: its managed policies' statements and its inline policies'. */
function cfnGrants(stack: Stack, roleName: string): string[] {
  const role = cfnRole(stack, roleName);
  const managed = asList(role.ManagedPolicyArns).map((arn) => {
    const policy = Object.values(stack.resources).find(
      (r) => r.Type === "AWS::IAM::ManagedPolicy" && arn === `arn:aws:iam::${ACCOUNT}:policy/${String(r.Properties.ManagedPolicyName)}`,
    );
    if (!policy) throw new Error(`${roleName} attaches ${arn}, which the stack does not create`);
    return policy.Properties.PolicyDocument as PolicyDocument;
  });
  const inline = ((role.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).map((p) => p.PolicyDocument);
  return [...managed, ...inline].flatMap(grantsOfDocument);
}

const sorted = (items: Iterable<string>) => [...items].sort();

function stackFor(parameters: Record<string, string> = {}): Stack {
  const template = parseTemplate(fs.readFileSync(TEMPLATE, "utf8"));
  return evaluateTemplate(template, { TrustedPrincipalArn: HUB, ExternalId: EXTERNAL_ID, ...parameters }, pseudo);
}

const roleNamesOf = (stack: Stack) =>
  sorted(Object.values(stack.resources).flatMap((r) => (r.Type === "AWS::IAM::Role" ? [String(r.Properties.RoleName)] : [])));

// ---- Terraform ----------------------------------------------------------------------------------------------------

type TfStatement = {
  effect: string;
  actions?: string[];
  not_actions?: string[];
  resources?: string[];
  not_resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
};

/** Resolves the module's interpolations for a deployment in ACCOUNT with the test's variables and no name prefix. */
function tfResolver(hcl: Module): (text: string) => string {
  const values = locals(hcl);
  const resolve = (ref: string): string => {
    const known: Record<string, string> = {
      "data.aws_partition.current.partition": "aws",
      "data.aws_caller_identity.current.account_id": ACCOUNT,
      "var.role_name_prefix": "",
      "var.trusted_principal_arn": HUB,
      "var.external_id": EXTERNAL_ID,
    };
    if (ref in known) return known[ref];
    const local = /^local\.(\w+)$/.exec(ref);
    if (local && typeof values[local[1]] === "string") return interpolate(values[local[1]] as string, resolve);
    const roleArn = /^aws_iam_role\.(\w+)\.arn$/.exec(ref);
    if (roleArn) return `arn:aws:iam::${ACCOUNT}:role/${interpolate(String(block(hcl, "resource", "aws_iam_role", roleArn[1]).name), resolve)}`;
    throw new Error(`the test cannot resolve \${${ref}} in the Terraform module`);
  };
  return (text) => interpolate(text, resolve);
}

function tfStatements(hcl: Module, documentRef: string): TfStatement[] {
  const match = /^data\.aws_iam_policy_document\.(\w+)\.json$/.exec(reference(documentRef));
  if (!match) throw new Error(`${documentRef} is not an aws_iam_policy_document's json`);
  return block(hcl, "data", "aws_iam_policy_document", match[1]).statement as TfStatement[];
}

function tfGrantsOf(statements: TfStatement[], resolve: (text: string) => string): string[] {
  return statements.flatMap((statement) => {
    expect(statement.effect, "only Allow statements").toBe("Allow");
    expect(statement.not_actions ?? statement.not_resources, "no not_actions / not_resources").toBeUndefined();
    const condition = conditionText((statement.condition ?? []).map((c) => ({ ...c, values: c.values.map(resolve) })));
    return (statement.actions ?? []).flatMap((action) => (statement.resources ?? []).map((resource) => grant(action, inAccount(resolve(resource)), condition)));
  });
}

function tfTrustOf(statements: TfStatement[], resolve: (text: string) => string): string[] {
  return statements.map((statement) => {
    const principal = (statement.principals ?? []).flatMap((p) => p.identifiers.map((id) => `${p.type}:${resolve(id)}`));
    const condition = conditionText((statement.condition ?? []).map((c) => ({ ...c, values: c.values.map(resolve) })));
    return `${statement.effect} ${principal.sort().join(",")} ${(statement.actions ?? []).join(",")} if ${condition}`;
  });
}

/** The module's roles by name: count expression, trust, and everything attached or inline. */
function tfRoles(hcl: Module) {
  const resolve = tfResolver(hcl);
  const attachments = Object.values(blocksOf(hcl, "resource", "aws_iam_role_policy_attachment"));
  const inline = Object.values(blocksOf(hcl, "resource", "aws_iam_role_policy"));
  const policies = blocksOf(hcl, "resource", "aws_iam_policy");
  return Object.entries(blocksOf(hcl, "resource", "aws_iam_role")).map(([id, role]) => {
    const ownedBy = (b: Record<string, unknown>, attribute: string) => reference(String(b.role)) === `aws_iam_role.${id}.${attribute}`;
    const attached = attachments.filter((a) => ownedBy(a, "name")).map((a) => {
      const policy = /^aws_iam_policy\.(\w+)\.arn$/.exec(reference(String(a.policy_arn)));
      if (!policy || !policies[policy[1]]) throw new Error(`aws_iam_role.${id} attaches ${String(a.policy_arn)}, which the module does not create`);
      return { name: resolve(String(policies[policy[1]].name)), statements: tfStatements(hcl, String(policies[policy[1]].policy)) };
    });
    const own = inline.filter((p) => ownedBy(p, "id")).map((p) => ({ name: String(p.name), statements: tfStatements(hcl, String(p.policy)) }));
    return {
      id,
      name: resolve(String(role.name)),
      count: role.count as string | undefined,
      boundary: role.permissions_boundary,
      policyNames: sorted(attached.map((p) => p.name)),
      inlineNames: sorted(own.map((p) => p.name)),
      grants: [...attached, ...own].flatMap((p) => tfGrantsOf(p.statements, resolve)),
      trust: tfTrustOf(tfStatements(hcl, String(role.assume_role_policy)), resolve),
    };
  });
}

// ---- the tests ----------------------------------------------------------------------------------------------------

const rows = readTable(fs.readFileSync(DOC, "utf8"));
const called = operationsUnder(path.join(ROOT, "lib/aws"));

describe("the AWS operations lib/aws calls", () => {
  it("are found by reading its SDK imports", () => {
    expect([...called.keys()]).toEqual(
      expect.arrayContaining(["elasticache:DescribeReplicationGroups", "elasticache:TestFailover", "cloudwatch:GetMetricData", "tag:GetResources", "fis:StartExperiment"]),
    );
  });

  it("include a command, a paginator and an assumed-role provider a module adds; an SDK package without a known prefix is an error", () => {
    const added = [
      'import { DeleteReplicationGroupCommand, type ReplicationGroup } from "@aws-sdk/client-elasticache";',
      'import { paginateDescribeSnapshots } from "@aws-sdk/client-elasticache";',
      'import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";',
      'import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";',
      'import type { MetricDataResult } from "@aws-sdk/client-cloudwatch";',
    ].join("\n");
    expect(operationsIn("added.ts", added)).toEqual(["elasticache:DeleteReplicationGroup", "elasticache:DescribeSnapshots", "sts:AssumeRole"]);
    expect(() => operationsIn("x.ts", 'import { ListBucketsCommand } from "@aws-sdk/client-s3";')).toThrow(/client-s3: tell/);
    expect(() => operationsIn("x.ts", 'import * as ec from "@aws-sdk/client-elasticache";')).toThrow(/by name/);
    expect(() => operationsIn("x.ts", 'import { fromIni } from "@aws-sdk/credential-providers";')).toThrow(/fromIni/);
  });

  it("each have a row in docs/iam-policy.md granting exactly that action", () => {
    const granted = new Set(rows.map((r) => r.action));
    const missing = [...called].filter(([operation]) => !granted.has(operation)).map(([op, files]) => `${op} (${files.map((f) => path.relative(ROOT, f)).join(", ")})`);
    expect(missing, "lib/aws calls these operations but docs/iam-policy.md has no row granting them: add a row and grant it in infra/").toEqual([]);
  });
});

describe("docs/iam-policy.md's table", () => {
  it("lists only permissions a call of the code needs (the AWS operation, or the FIS action a drill runs)", () => {
    for (const row of rows.filter((r) => r.role !== HUB_ROLE)) {
      expect(row.calledAs.length, `${row.action}: called as`).toBeGreaterThan(0);
      for (const by of row.calledAs) {
        const needed = row.role === FIS_ROLE ? by === AZ_POWER_ACTION : called.has(by);
        expect(needed, `${row.action} (${row.role}) is needed by ${by}, which the code does not call`).toBe(true);
      }
    }
    // A row for an operation grants that operation's own action; only implied permissions (tags, PassRole) differ.
    for (const row of rows.filter((r) => r.role !== FIS_ROLE && called.has(r.action))) expect(row.calledAs).toContain(row.action);
  });

  it("gives each row the role the app's permission table asks for", () => {
    const lowest = (permission: string) => roles.find((role) => can(role, permission as (typeof permissions)[number]));
    for (const row of rows.filter((r) => r.role !== HUB_ROLE)) {
      expect(permissions as readonly string[], `${row.action}: ${row.permission}`).toContain(row.permission);
      if (row.role === FIS_ROLE) expect(row.permission).toBe("drill.run");
      else expect(row.role, `${row.action} is needed for ${row.permission}`).toBe(memberRoleFor[lowest(row.permission)!]);
    }
  });

  it("leaves the STS calls to CacheDeck's own principal, whose policy in the docs grants exactly its rows", () => {
    // The hub's rows are the one exception to "needed by a call": its AssumeRole is made by the SDK's credential
    // provider whenever an accounts file names member roles, so the row stands whether or not that code is in.
    const hubRows = rows.filter((r) => r.role === HUB_ROLE);
    for (const op of [...called.keys()].filter((op) => op.startsWith("sts:"))) expect(hubRows.map((r) => r.action), op).toContain(op);
    expect(sorted(hubRows.flatMap((r) => r.resources))).toEqual(sorted(memberRoles.map((name) => `arn:aws:iam::*:role/${name}`)));
    const doc = fs.readFileSync(DOC, "utf8");
    const hubSection = doc.slice(doc.indexOf("## CacheDeck's own principal"));
    const policy = JSON.parse(/```json\n([\s\S]*?)```/.exec(hubSection)![1]) as PolicyDocument;
    expect(sorted(grantsOfDocument(policy))).toEqual(sorted(grantsOfRows(hubRows)));
  });
});

describe("the CloudFormation template", () => {
  it("parses with its intrinsic functions and creates the three CacheDeck roles and FIS's experiment role", () => {
    const stack = stackFor();
    expect(roleNamesOf(stack)).toEqual(sorted([...memberRoles, FIS_ROLE]));
    expect(stack.outputs).toEqual({
      ReadOnlyRoleArn: `arn:aws:iam::${ACCOUNT}:role/CacheDeckReadOnly`,
      OperatorRoleArn: `arn:aws:iam::${ACCOUNT}:role/CacheDeckOperator`,
      AdminRoleArn: `arn:aws:iam::${ACCOUNT}:role/CacheDeckAdmin`,
      FisExperimentRoleArn: `arn:aws:iam::${ACCOUNT}:role/CacheDeckFisExperiment`,
    });
  });

  it.each([...memberRoles, FIS_ROLE])("grants %s exactly its rows of docs/iam-policy.md", (role) => {
    expect(sorted(cfnGrants(stackFor(), role))).toEqual(sorted(grantsOfRows(rowsGrantedBy(rows, role))));
  });

  it("grants through nothing the comparison does not read (no other IAM resources, no attachment from the policy side)", () => {
    const stack = stackFor();
    expect(new Set(Object.values(stack.resources).map((r) => r.Type))).toEqual(new Set(["AWS::IAM::Role", "AWS::IAM::ManagedPolicy"]));
    for (const policy of Object.values(stack.resources).filter((r) => r.Type === "AWS::IAM::ManagedPolicy")) {
      expect(policy.Properties.Roles ?? policy.Properties.Users ?? policy.Properties.Groups).toBeUndefined();
    }
  });

  it("notices a grant more or a grant less than the table says", () => {
    const template = parseTemplate(fs.readFileSync(TEMPLATE, "utf8"));
    const read = template.Resources.ReadPolicy.Properties!.PolicyDocument as unknown as PolicyDocument;
    (read.Statement[0].Action as string[]).push("elasticache:DeleteReplicationGroup");
    (read.Statement[0].Action as string[]).splice((read.Statement[0].Action as string[]).indexOf("elasticache:DescribeEvents"), 1);
    const tampered = evaluateTemplate(template, { TrustedPrincipalArn: HUB, ExternalId: EXTERNAL_ID }, pseudo);
    const granted = new Set(cfnGrants(tampered, "CacheDeckReadOnly"));
    const expected = new Set(grantsOfRows(rowsGrantedBy(rows, "CacheDeckReadOnly")));
    expect([...granted].filter((g) => !expected.has(g))).toEqual(["elasticache:DeleteReplicationGroup on *"]);
    expect([...expected].filter((g) => !granted.has(g))).toEqual(["elasticache:DescribeEvents on *"]);
  });

  it("names the roles the demo fleet's accounts declare, each with an ExternalId as the trust policies require", () => {
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, "emulator/fleets/demo.json"), "utf8")) as { accounts: { roles: { name: string; externalId?: string }[] }[] };
    const declared = demo.accounts.flatMap((account) => account.roles);
    expect(new Set(declared.map((role) => role.name))).toEqual(new Set(memberRoles));
    expect(declared.every((role) => (role.externalId ?? "").length >= 2)).toBe(true);
  });

  it("lets only the trusted principal with the ExternalId assume the CacheDeck roles, and only FIS of the account the experiment role", () => {
    const stack = stackFor();
    for (const role of memberRoles) expect(trustOfDocument(cfnRole(stack, role).AssumeRolePolicyDocument as PolicyDocument), role).toEqual([trustOfCacheDeckRoles]);
    expect(trustOfDocument(cfnRole(stack, FIS_ROLE).AssumeRolePolicyDocument as PolicyDocument)).toEqual([trustOfFisRole]);
  });

  it("creates the roles up to HighestRole, and outputs only those", () => {
    const readOnly = stackFor({ HighestRole: "ReadOnly" });
    expect(roleNamesOf(readOnly)).toEqual(["CacheDeckReadOnly"]);
    expect(Object.keys(readOnly.outputs)).toEqual(["ReadOnlyRoleArn"]);
    const operator = stackFor({ HighestRole: "Operator" });
    expect(roleNamesOf(operator)).toEqual(["CacheDeckFisExperiment", "CacheDeckOperator", "CacheDeckReadOnly"]);
    expect(sorted(cfnGrants(operator, "CacheDeckOperator"))).toEqual(sorted(grantsOfRows(rowsGrantedBy(rows, "CacheDeckOperator"))));
    expect(Object.keys(operator.outputs)).not.toContain("AdminRoleArn");
  });

  it("puts the name prefix on every role and policy, and the permissions boundary on every role", () => {
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/org-boundary`;
    const stack = stackFor({ RoleNamePrefix: "platform-", PermissionsBoundaryArn: boundary });
    const names = Object.values(stack.resources).map((r) => String(r.Properties.RoleName ?? r.Properties.ManagedPolicyName));
    expect(names.every((name) => name.startsWith("platform-CacheDeck")), names.join(", ")).toBe(true);
    const iamRoles = Object.values(stack.resources).filter((r) => r.Type === "AWS::IAM::Role");
    expect(iamRoles.map((r) => r.Properties.PermissionsBoundary)).toEqual(iamRoles.map(() => boundary));
    expect(grantsOfDocument(stack.resources.OperatePolicy.Properties.PolicyDocument as PolicyDocument)).toContain(
      `iam:PassRole on arn:aws:iam::<account>:role/platform-CacheDeckFisExperiment if StringEquals iam:PassedToService = fis.amazonaws.com`,
    );
    expect(Object.values(stackFor().resources).some((r) => "PermissionsBoundary" in r.Properties)).toBe(false);
  });

  it.each([
    ["TrustedPrincipalArn", "*"],
    ["TrustedPrincipalArn", "arn:aws:iam::*:root"],
    ["TrustedPrincipalArn", "arn:aws:iam::111122223333:group/ops"],
    ["ExternalId", ""],
    ["ExternalId", "x"],
    ["ExternalId", "id with spaces"],
    ["HighestRole", "Root"],
    ["RoleNamePrefix", "a/b"],
    ["PermissionsBoundaryArn", "arn:aws:iam::111122223333:role/not-a-policy"],
  ])("refuses %s %j", (name, value) => {
    expect(() => stackFor({ [name]: value })).toThrow(new RegExp(`parameter ${name}`));
  });
});

describe("the Terraform module", () => {
  let hcl: Module;
  let tf: ReturnType<typeof tfRoles>;
  beforeAll(async () => {
    hcl = await readModule(MODULE);
    tf = tfRoles(hcl);
  });
  const tfRole = (name: string) => tf.find((r) => r.name === name)!;

  it("creates the same roles with the same policy names as the template", () => {
    const stack = stackFor();
    expect(sorted(tf.map((r) => r.name))).toEqual(roleNamesOf(stack));
    for (const role of tf) {
      const cfn = cfnRole(stack, role.name);
      expect(role.policyNames, role.name).toEqual(sorted(asList(cfn.ManagedPolicyArns).map((arn) => arn.split("/").pop()!)));
      expect(role.inlineNames, role.name).toEqual(sorted(((cfn.Policies ?? []) as { PolicyName: string }[]).map((p) => p.PolicyName)));
    }
  });

  it.each([...memberRoles, FIS_ROLE])("grants %s exactly its rows of docs/iam-policy.md", (role) => {
    expect(sorted(tfRole(role).grants)).toEqual(sorted(grantsOfRows(rowsGrantedBy(rows, role))));
  });

  it("grants through nothing the comparison does not read (no other IAM resources, no inline or exclusive role policies)", () => {
    const types = (kind: "resource" | "data") => sorted(Object.keys((hcl[kind] ?? {}) as object));
    expect(types("resource")).toEqual(["aws_iam_policy", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment"]);
    expect(types("data")).toEqual(["aws_caller_identity", "aws_iam_policy_document", "aws_partition"]);
    for (const role of Object.values(blocksOf(hcl, "resource", "aws_iam_role"))) {
      expect(role.inline_policy ?? role.managed_policy_arns).toBeUndefined();
    }
    for (const document of Object.values(blocksOf(hcl, "data", "aws_iam_policy_document"))) {
      expect(document.source_policy_documents ?? document.override_policy_documents ?? document.policy_id).toBeUndefined();
    }
  });

  it("trusts the same principals on the same conditions as the template", () => {
    for (const role of memberRoles) expect(tfRole(role).trust, role).toEqual([trustOfCacheDeckRoles]);
    expect(tfRole(FIS_ROLE).trust).toEqual([trustOfFisRole]);
  });

  it("creates the roles up to highest_role, with the permissions boundary when one is given", () => {
    expect(locals(hcl)).toMatchObject({
      create_operator: '${var.highest_role != "ReadOnly"}',
      create_admin: '${var.highest_role == "Admin"}',
      permissions_boundary: '${var.permissions_boundary_arn == "" ? null : var.permissions_boundary_arn}',
    });
    const counts = Object.fromEntries(tf.map((r) => [r.name, r.count]));
    expect(counts).toEqual({
      CacheDeckReadOnly: undefined,
      CacheDeckOperator: "${local.create_operator ? 1 : 0}",
      CacheDeckFisExperiment: "${local.create_operator ? 1 : 0}",
      CacheDeckAdmin: "${local.create_admin ? 1 : 0}",
    });
    for (const role of tf) expect(role.boundary, role.name).toBe("${local.permissions_boundary}");
  });

  it("validates its variables as the template validates its parameters", () => {
    const template = parseTemplate(fs.readFileSync(TEMPLATE, "utf8"));
    const pairs = { trusted_principal_arn: "TrustedPrincipalArn", external_id: "ExternalId", role_name_prefix: "RoleNamePrefix", permissions_boundary_arn: "PermissionsBoundaryArn" };
    const samples = ["*", "", "x", "ab", "id with spaces", "a/b", "platform-", HUB, "arn:aws:iam::*:root", `arn:aws:iam::${ACCOUNT}:policy/org-boundary`, "cachedeck-ext:7f3a@ops"];
    for (const [name, parameter] of Object.entries(pairs)) {
      const condition = (variableBlock(hcl, name).validation as { condition: string }[])[0].condition;
      const pattern = /regex\("((?:[^"\\]|\\.)*)"/.exec(condition)![1].replace(/\\\\/g, "\\");
      for (const sample of samples) {
        const byTerraform = new RegExp(pattern).test(sample);
        const byCloudFormation = (() => {
          try {
            evaluateTemplate(template, { TrustedPrincipalArn: HUB, ExternalId: EXTERNAL_ID, [parameter]: sample }, pseudo);
            return true;
          } catch {
            return false;
          }
        })();
        expect(byTerraform, `${name} / ${parameter} on ${JSON.stringify(sample)}`).toBe(byCloudFormation);
      }
    }
  });
});
