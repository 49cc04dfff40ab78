import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

// Which AWS operations a module calls, read from its imports: every SDK call goes through a `*Command` class (or a
// `paginate*` helper) imported from an @aws-sdk/client-* package, and assumed-role credentials through a provider of
// @aws-sdk/credential-providers. The import-graph test keeps @aws-sdk imports inside lib/aws, so lib/aws is all there
// is to read. An AWS package or provider this table does not know is an error: the scan never silently misses one.

/** The IAM service prefix of each SDK client package. */
const servicePrefixes: Record<string, string> = {
  "@aws-sdk/client-elasticache": "elasticache",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-resource-groups-tagging-api": "tag",
  "@aws-sdk/client-fis": "fis",
  "@aws-sdk/client-sts": "sts",
  "@aws-sdk/client-pricing": "pricing",
};

/** The AWS operation each credential provider calls with the identity CacheDeck runs as. */
const credentialProviders: Record<string, string> = {
  fromTemporaryCredentials: "sts:AssumeRole",
};

/** Operations AWS answers for any identity, whatever its policies say. */
const needNoPermission = new Set(["sts:GetCallerIdentity"]);

/** `service:Operation` of each AWS call `source` makes that needs a permission (e.g. elasticache:DescribeReplicationGroups). */
export function operationsIn(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = statement.moduleSpecifier.text;
    if (!from.startsWith("@aws-sdk/")) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (clause.name || !bindings || !ts.isNamedImports(bindings)) {
      throw new Error(`${fileName}: import from ${from} by name ({ XCommand }), so the operations it calls can be read`);
    }
    for (const element of bindings.elements) {
      if (element.isTypeOnly) continue;
      const name = (element.propertyName ?? element.name).text;
      if (from === "@aws-sdk/credential-providers") {
        const operation = credentialProviders[name];
        if (!operation) throw new Error(`${fileName}: credential provider ${name}: tell tests/helpers/aws-operations.ts which AWS operation it calls`);
        found.push(operation);
        continue;
      }
      const command = /^(?:([A-Z]\w*)Command|paginate([A-Z]\w*))$/.exec(name);
      if (!command) continue;
      const prefix = servicePrefixes[from];
      if (!prefix) throw new Error(`${fileName}: ${from}: tell tests/helpers/aws-operations.ts its IAM service prefix`);
      const operation = `${prefix}:${command[1] ?? command[2]}`;
      if (!needNoPermission.has(operation)) found.push(operation);
    }
  }
  return found;
}

/** Every AWS operation the TypeScript files under `dir` call, with the files that call it. */
export function operationsUnder(dir: string): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  const visit = (at: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.tsx?$/.test(entry.name)) {
        for (const operation of operationsIn(full, fs.readFileSync(full, "utf8"))) calls.set(operation, [...(calls.get(operation) ?? []), full]);
      }
    }
  };
  visit(dir);
  return calls;
}
