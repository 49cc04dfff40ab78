import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { AuditLog } from "@/lib/audit/audit-log";
import { openDatabase, type OpenDatabase } from "@/lib/db/database";
import { createAction, type Actor, type ActionDeps, type ActionSpec } from "@/lib/actions/run-action";
import { InFlightGuard } from "@/lib/actions/in-flight-guard";
import { can, roleIn, type Permission } from "@/lib/auth/permissions";

// The recipe's order and guarantees, over a real SQLite audit log. The "AWS call" is the action's own execute step,
// counted, so each test can say whether it happened.

const operator: Actor = { id: "u-omar", name: "Omar Operator", email: "omar@example.com", role: "operator" };
const viewer: Actor = { ...operator, id: "u-vera", role: "viewer" };

const schema = z.object({ replicationGroupId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "Use the group id: lowercase letters, digits and hyphens.") });

interface Calls {
  load: number;
  execute: number;
  revalidated: string[];
  logged: string[];
}

let opened: OpenDatabase;
let audit: AuditLog;
let guard: InFlightGuard;
let calls: Calls;
const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-actions-"));

beforeAll(async () => {
  opened = await openDatabase({ dialect: "sqlite", file: path.join(dir, "audit.sqlite") });
  audit = new AuditLog(opened.db);
  guard = new InFlightGuard(opened.db, { holder: "this-instance", holdMs: 60_000 });
});
afterAll(async () => {
  await opened.db.destroy();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  calls = { load: 0, execute: 0, revalidated: [], logged: [] };
});

function deps(actor: Actor | null, overrides: Partial<ActionDeps> = {}): ActionDeps {
  return {
    authorize: async (permission: Permission) => {
      if (!actor) throw new Error("You are not signed in. Sign in and try again.");
      if (!can(actor.role, permission)) throw new Error(`Your role (${actor.role}) does not allow this (${permission}).`);
      return actor;
    },
    auditLog: async () => audit,
    claimTarget: (key) => guard.claim(key),
    revalidate: (p) => calls.revalidated.push(p),
    callTimeoutMs: 5_000,
    logError: (message) => calls.logged.push(message),
    ...overrides,
  };
}

type Spec = ActionSpec<typeof schema, { status: string }, { started: boolean }>;

function spec(overrides: Partial<Spec> = {}): Spec {
  return {
    name: "cluster.test-failover",
    permission: "cluster.test-failover",
    schema,
    target: (input) => ({ account: "default", region: "us-east-1", target: input.replicationGroupId }),
    load: async () => {
      calls.load++;
      return { status: "available" };
    },
    precheck: (_input, state) => (state.status === "available" ? null : { error: `The group is ${state.status}; try again when it is available.` }),
    execute: async () => {
      calls.execute++;
      return { data: { started: true }, requestId: "req-ok" };
    },
    revalidate: (input) => [`/clusters/${input.replicationGroupId}`],
    explain: (error) => (error instanceof Error && error.name === "InvalidReplicationGroupStateFault" ? "The group is modifying; try again when it is available." : null),
    ...overrides,
  };
}

/** An action whose AWS call answers only when the test says so. */
function slowSpec() {
  const release = { now: () => undefined as void };
  const slow = spec({
    execute: () =>
      new Promise((resolve) => {
        calls.execute++;
        release.now = () => resolve({ data: { started: true }, requestId: "req-slow" });
      }),
  });
  return { slow, release };
}

const recordsFor = async (target: string) => audit.list({ target });

describe("createAction", () => {
  it("returns field errors for bad input without authorizing, loading, calling or auditing", async () => {
    const result = await createAction(spec(), deps(operator))({ replicationGroupId: "Bad Id!" });
    expect(result).toEqual({
      ok: false,
      error: "Some fields need attention.",
      fieldErrors: { replicationGroupId: ["Use the group id: lowercase letters, digits and hyphens."] },
    });
    expect(await createAction(spec(), deps(operator))("not an object")).toMatchObject({ ok: false });
    expect(calls).toMatchObject({ load: 0, execute: 0 });
  });

  it("refuses someone not signed in and a viewer before reading AWS, and records nothing", async () => {
    expect(await createAction(spec(), deps(null))({ replicationGroupId: "refused-1" })).toEqual({
      ok: false,
      error: "You are not signed in. Sign in and try again.",
    });
    expect(await createAction(spec(), deps(viewer))({ replicationGroupId: "refused-1" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/viewer.*does not allow/),
    });
    expect(calls).toMatchObject({ load: 0, execute: 0 });
    expect(await recordsFor("refused-1")).toEqual([]);
  });

  it("refuses when the fresh state fails the pre-check, without calling or auditing", async () => {
    const result = await createAction(spec({ load: async () => ({ status: "modifying" }) }), deps(operator))({ replicationGroupId: "busy-1" });
    expect(result).toEqual({ ok: false, error: "The group is modifying; try again when it is available." });
    expect(calls.execute).toBe(0);
    expect(await recordsFor("busy-1")).toEqual([]);
  });

  it("audits a successful call with its request id and revalidates the target's pages", async () => {
    const result = await createAction(spec(), deps(operator))({ replicationGroupId: "ok-1" });
    expect(result).toMatchObject({ ok: true, data: { started: true } });
    const [record] = await recordsFor("ok-1");
    expect(result.ok && result.auditId).toBe(record.id);
    expect(record).toMatchObject({ outcome: "succeeded", requestId: "req-ok", actor: { id: "u-omar" }, role: "operator", parameters: { replicationGroupId: "ok-1" } });
    expect(calls.revalidated).toEqual(["/clusters/ok-1"]);
  });

  it("turns an AWS refusal into the action's message and audits it as failed with AWS's request id", async () => {
    const fault = Object.assign(new Error("Replication group must be in available state"), {
      name: "InvalidReplicationGroupStateFault",
      $metadata: { requestId: "req-refused" },
    });
    const failing = spec({ execute: async () => Promise.reject(fault) });
    const result = await createAction(failing, deps(operator))({ replicationGroupId: "refused-by-aws" });
    expect(result).toMatchObject({ ok: false, error: "The group is modifying; try again when it is available." });
    const [record] = await recordsFor("refused-by-aws");
    expect(record).toMatchObject({ outcome: "failed", requestId: "req-refused", error: "The group is modifying; try again when it is available." });
    expect(calls.logged).toEqual([]);
  });

  it("logs an unexpected error and shows a generic message naming the audit record", async () => {
    const failing = spec({ execute: async () => Promise.reject(new TypeError("secret internals")) });
    const result = await createAction(failing, deps(operator))({ replicationGroupId: "boom-1" });
    const [record] = await recordsFor("boom-1");
    expect(result).toEqual({ ok: false, error: expect.stringContaining(`audit record #${record.id}`), auditId: record.id });
    expect(JSON.stringify(result)).not.toContain("secret internals");
    expect(calls.logged).toEqual(["cluster.test-failover failed unexpectedly"]);
  });

  it("gives up on a call that outlives the deadline, aborts it and audits the failure", async () => {
    let aborted = false;
    const hanging = spec({
      execute: (_input, _state, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => ((aborted = true), reject(new Error("aborted"))))),
    });
    const result = await createAction(hanging, deps(operator, { callTimeoutMs: 50 }))({ replicationGroupId: "slow-1" });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/did not answer within/) });
    expect(aborted).toBe(true);
    expect((await recordsFor("slow-1"))[0]).toMatchObject({ outcome: "failed" });
  });

  it("refuses a second submission for the same target while the first is being sent, and accepts one after", async () => {
    const { slow, release } = slowSpec();
    const action = createAction(slow, deps(operator));
    const first = action({ replicationGroupId: "twice-1" });
    await expect.poll(() => calls.execute).toBe(1);
    expect(await action({ replicationGroupId: "twice-1" })).toEqual({
      ok: false,
      error: "Another operation on twice-1 is being sent right now; wait for it to finish, then check the cluster.",
    });
    release.now();
    expect(await first).toMatchObject({ ok: true });
    expect(await createAction(spec(), deps(operator))({ replicationGroupId: "twice-1" })).toMatchObject({ ok: true });
    expect(calls.execute).toBe(2);
    expect((await recordsFor("twice-1")).map((r) => r.outcome)).toEqual(["succeeded", "succeeded"]);
  });

  it("refuses the same operation submitted at once through two app instances on one database: sent once", async () => {
    const { slow, release } = slowSpec();
    const otherInstance = new InFlightGuard(opened.db, { holder: "other-instance", holdMs: 60_000 });
    const here = createAction(slow, deps(operator));
    const there = createAction(slow, deps(operator, { claimTarget: (key) => otherInstance.claim(key) }));
    const results = Promise.all([here({ replicationGroupId: "both-1" }), there({ replicationGroupId: "both-1" })]);
    await expect.poll(() => calls.execute).toBe(1);
    release.now();
    const outcomes = await results;
    expect(outcomes.filter((r) => r.ok)).toHaveLength(1);
    expect(outcomes.filter((r) => !r.ok)).toEqual([
      { ok: false, error: "Another operation on both-1 is being sent right now; wait for it to finish, then check the cluster." },
    ]);
    expect(calls.execute).toBe(1);
    expect((await recordsFor("both-1")).map((r) => r.outcome)).toEqual(["succeeded"]);
  });

  it("does not call AWS when the in-flight guard's database cannot be reached", async () => {
    const broken = deps(operator, { claimTarget: async () => Promise.reject(new Error("connection refused")) });
    const result = await createAction(spec(), broken)({ replicationGroupId: "no-guard-1" });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/database cannot be reached, so the operation was not started/) });
    expect(calls.execute).toBe(0);
    expect(calls.logged).toEqual(["cluster.test-failover: in-flight guard unavailable"]);
  });

  it("releases the target on every path: a load that never ends, a load that throws, a call that outlives its deadline", async () => {
    const never = spec({ load: () => new Promise(() => undefined) });
    const hung = await createAction(never, deps(operator, { callTimeoutMs: 50 }))({ replicationGroupId: "held-1" });
    expect(hung).toEqual({ ok: false, error: expect.stringMatching(/did not answer within 0 s while the target was read; nothing was changed/) });

    const throwing = spec({ load: async () => Promise.reject(new TypeError("socket hang up")) });
    expect(await createAction(throwing, deps(operator))({ replicationGroupId: "held-1" })).toMatchObject({ ok: false });

    const hanging = spec({ execute: (_input, _state, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))) });
    expect(await createAction(hanging, deps(operator, { callTimeoutMs: 50 }))({ replicationGroupId: "held-1" })).toMatchObject({ ok: false });

    // Not "being sent right now": each attempt above let go of held-1.
    expect(await createAction(spec(), deps(operator))({ replicationGroupId: "held-1" })).toMatchObject({ ok: true });
    expect(calls.execute).toBe(1);
  });

  it("explains an AWS error for the actor's role", async () => {
    const roles: string[] = [];
    const explaining = spec({
      load: async () => Promise.reject(new Error("endpoint down")),
      explain: (_error, role) => (roles.push(role), `explained for ${role}`),
    });
    const admin: Actor = { ...operator, id: "u-ada", role: "admin" };
    expect(await createAction(explaining, deps(operator))({ replicationGroupId: "role-1" })).toEqual({ ok: false, error: "explained for operator" });
    expect(await createAction(explaining, deps(admin))({ replicationGroupId: "role-1" })).toEqual({ ok: false, error: "explained for admin" });
    expect(roles).toEqual(["operator", "admin"]);
  });

  it("does not call AWS when the audit log cannot be written", async () => {
    const broken = deps(operator, { auditLog: async () => Promise.reject(new Error("disk full")) });
    const result = await createAction(spec(), broken)({ replicationGroupId: "no-audit-1" });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/audit log cannot be written/) });
    expect(calls.execute).toBe(0);
  });
});

describe("createAction across accounts", () => {
  // "Operator in staging, viewer elsewhere": the role that decides is the one in the target's account.
  const person = { id: "u-sam", name: "Sam", email: "sam@example.com", role: "viewer" as const, accountRoles: { staging: "operator" as const } };
  const byAccount: ActionDeps["authorize"] = async (permission, account) => {
    const role = roleIn(person, account);
    if (role === null || !can(role, permission)) throw new Error(`Your role in account ${account} (${role}) does not allow this (${permission}).`);
    return { ...person, role };
  };
  const accountSchema = schema.extend({ account: z.enum(["staging", "payments-prod"]) });
  const accountSpec = (): ActionSpec<typeof accountSchema, { status: string }, { started: boolean }> => ({
    ...spec(),
    schema: accountSchema,
    target: (input) => ({ account: input.account, region: "us-east-1", target: input.replicationGroupId }),
  });

  it("acts in the account where the person's role allows it, and records the account and that role", async () => {
    const result = await createAction(accountSpec(), deps(null, { authorize: byAccount }))({ account: "staging", replicationGroupId: "accounts-1" });
    expect(result).toMatchObject({ ok: true });
    expect(calls).toMatchObject({ load: 1, execute: 1 });
    expect(await recordsFor("accounts-1")).toEqual([expect.objectContaining({ account: "staging", role: "operator", actor: expect.objectContaining({ id: "u-sam" }) })]);
  });

  it("refuses the same person in another account before reading AWS, and records nothing", async () => {
    const result = await createAction(accountSpec(), deps(null, { authorize: byAccount }))({ account: "payments-prod", replicationGroupId: "accounts-2" });
    expect(result).toEqual({ ok: false, error: "Your role in account payments-prod (viewer) does not allow this (cluster.test-failover)." });
    expect(calls).toMatchObject({ load: 0, execute: 0 });
    expect(await recordsFor("accounts-2")).toEqual([]);
  });
});
