import { describe, expect, it } from "vitest";
import { auditRecordsToCsv, parseAuditQuery, scopedAuditQuery } from "@/lib/audit/query";
import type { AuditRecord } from "@/lib/audit/audit-log";
import type { SessionUser } from "@/lib/auth/session";

const admin: SessionUser = { id: "u-ada", name: "Ada", email: null, role: "admin", accountRoles: {} };
const operator: SessionUser = { id: "u-omar", name: "Omar", email: null, role: "operator", accountRoles: {} };

describe("audit query from the URL", () => {
  it("reads every filter, datetime-local values as UTC", () => {
    const { query, problems } = parseAuditQuery(
      new URLSearchParams("who=ada&action=cluster.test-failover&account=staging&status=unfinished&target=orders&from=2026-03-01T12:00&to=2026-03-02T00:00:00Z&before=40"),
    );
    expect(problems).toEqual([]);
    expect(query).toMatchObject({ who: "ada", action: "cluster.test-failover", account: "staging", status: "unfinished", target: "orders", before: 40 });
    expect(query.from?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(query.to?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });

  it("reports a bad date and ignores it, keeping the other filters; drops unknown outcomes", () => {
    const { query, problems } = parseAuditQuery(new URLSearchParams("from=yesterday&target=orders&status=exploded"));
    expect(problems).toEqual(['from: "yesterday" is not a date and time']);
    expect(query.from).toBeUndefined();
    expect(query.status).toBeUndefined();
    expect(query.target).toBe("orders");
  });

  it("lets admins read everyone's records and limits operators to their own, whatever the URL asks", () => {
    const params = new URLSearchParams("who=ada");
    expect(scopedAuditQuery(admin, params, 100)).toMatchObject({ scope: "all", filter: { who: "ada", actorId: undefined, limit: 100 } });
    expect(scopedAuditQuery(operator, params, 100)).toMatchObject({ scope: "own", filter: { who: undefined, actorId: "u-omar" } });
  });
});

describe("CSV export", () => {
  const record: AuditRecord = {
    id: 7,
    actor: { id: "u", name: 'Eve "the, admin"', email: "eve@example.com" },
    role: "admin",
    action: "cluster.test-failover",
    account: "default",
    region: "us-east-1",
    target: "=HYPERLINK(\"http://evil\")",
    parameters: { replicationGroupId: "orders" },
    requestedAt: "2026-03-01T12:00:00.000Z",
    finishedAt: null,
    outcome: "pending",
    status: "unfinished",
    requestId: null,
    error: "line one\nline two",
    followUp: "probe: 12 writes acknowledged, 0 lost, longest refused-write window 0 ms",
  };

  it("quotes what needs quoting and neutralises formulas", () => {
    const [header, row] = auditRecordsToCsv([record]).split("\r\n");
    expect(header).toBe("id,requested_at,finished_at,status,actor,actor_email,role,action,account,region,target,parameters,request_id,error,follow_up");
    expect(row).toContain(",admin,cluster.test-failover,default,us-east-1,");
    expect(row).toContain('"Eve ""the, admin"""');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain('"{""replicationGroupId"":""orders""}"');
    expect(auditRecordsToCsv([record])).toContain('"line one\nline two"');
    expect(row.startsWith("7,2026-03-01T12:00:00.000Z,,unfinished,")).toBe(true);
    expect(row.endsWith(',"probe: 12 writes acknowledged, 0 lost, longest refused-write window 0 ms"')).toBe(true);
  });
});
