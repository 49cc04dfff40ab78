import {
  CreateExperimentTemplateCommand,
  DeleteExperimentTemplateCommand,
  FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentsCommand,
  ResourceNotFoundException,
  StartExperimentCommand,
  StopExperimentCommand,
  ValidationException,
  type CreateExperimentTemplateCommandInput,
} from "@aws-sdk/client-fis";
import { beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3 } from "@/tests/helpers/aws-cli";
import { TEST_CREDENTIALS } from "@/tests/helpers/emulator";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { createGroup, describeGroup, eventLog, rolesOf } from "@/tests/helpers/replication-group";

// The emulator's AWS Fault Injection Service (restJson1) against the SDK, the AWS CLI and boto3: a template with
// aws:elasticache:replicationgroup-interrupt-az-power really cuts the zone's power (the primary there dies and fails
// over), experiments move through FIS's states, StopExperiment brings the power back, and bad input gets FIS's errors.

const env = emulatorForFile({ settings: { timeScale: 0.01 } });
const ROLE = "arn:aws:iam::000000000000:role/cachedeck-fis-experiments";
let fis: FisClient;
let groupArn: string;
let primaryZone: string;

beforeAll(async () => {
  fis = new FisClient({ region: "us-east-1", endpoint: env.emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  await createGroup(env.client, { ReplicationGroupId: "zoned", NumCacheClusters: 2, AutomaticFailoverEnabled: true, MultiAZEnabled: true });
  const group = await describeGroup(env.client, "zoned");
  groupArn = group.ARN!;
  primaryZone = group.NodeGroups![0].NodeGroupMembers!.find((m) => m.CurrentRole === "primary")!.PreferredAvailabilityZone!;
});

function template(overrides: Partial<CreateExperimentTemplateCommandInput> = {}, parameters: Record<string, string> = {}): CreateExperimentTemplateCommandInput {
  return {
    description: "power off",
    roleArn: ROLE,
    stopConditions: [{ source: "none" }],
    targets: { Groups: { resourceType: "aws:elasticache:replicationgroup", resourceArns: [groupArn], selectionMode: "ALL" } },
    actions: {
      cut: {
        actionId: "aws:elasticache:replicationgroup-interrupt-az-power",
        parameters: { availabilityZoneIdentifier: primaryZone, duration: "PT5M", ...parameters },
        targets: { ReplicationGroups: "Groups" },
      },
    },
    ...overrides,
  };
}

const primaryOf = (group: Parameters<typeof rolesOf>[0]) => Object.entries(rolesOf(group).roles).find(([, role]) => role === "primary")?.[0];
const stateOf = async (id: string) => (await fis.send(new GetExperimentCommand({ id }))).experiment!;

describe("FIS through the SDK", () => {
  it("runs an AZ power interruption: initiating, running (the zone's primary fails over), completed once the power is back", async () => {
    const primaryBefore = primaryOf(await describeGroup(env.client, "zoned"));
    const since = new Date();
    const created = (await fis.send(new CreateExperimentTemplateCommand(template({ tags: { team: "drills" } })))).experimentTemplate!;
    expect(created).toMatchObject({ id: expect.stringMatching(/^EXT\w+$/), roleArn: ROLE, tags: { team: "drills" } });
    expect((await fis.send(new GetExperimentTemplateCommand({ id: created.id }))).experimentTemplate?.actions?.cut.parameters).toEqual({ availabilityZoneIdentifier: primaryZone, duration: "PT5M" });

    const started = (await fis.send(new StartExperimentCommand({ experimentTemplateId: created.id }))).experiment!;
    expect(started).toMatchObject({ id: expect.stringMatching(/^EXP\w+$/), experimentTemplateId: created.id, roleArn: ROLE, state: { status: "initiating" } });
    expect(started.creationTime).toBeInstanceOf(Date);

    const running = await waitFor(async () => ((await stateOf(started.id!)).state?.status === "running" ? stateOf(started.id!) : false), { timeoutMs: 10_000, description: "the experiment to run" });
    expect(running.actions?.cut.state?.status).toBe("running");
    expect(running.actions?.cut.startTime).toBeInstanceOf(Date);
    const promoted = await waitFor(async () => {
      const primary = primaryOf(await describeGroup(env.client, "zoned"));
      return primary !== primaryBefore && primary;
    }, { timeoutMs: 30_000, description: "the replica outside the zone to be promoted" });
    expect(await eventLog(env.client, [["replication-group", "zoned"]], since)).toContain(`zoned: Failover from primary node ${primaryBefore} to replica node ${promoted} completed`);

    // Five minutes of AWS time at the time scale 0.01: three seconds.
    const done = await waitFor(async () => {
      const e = await stateOf(started.id!);
      return e.state?.status === "completed" ? e : false;
    }, { timeoutMs: 30_000, intervalMs: 200, description: "the experiment to complete" });
    expect(done.state?.reason).toBe("Experiment completed.");
    expect(done.actions?.cut).toMatchObject({ state: { status: "completed" } });
    const cutMs = done.actions!.cut.endTime!.getTime() - done.actions!.cut.startTime!.getTime();
    expect(cutMs).toBeGreaterThanOrEqual(2_900);
    expect(done.endTime).toBeInstanceOf(Date);
    expect((await fis.send(new ListExperimentsCommand({}))).experiments?.map((e) => e.id)).toContain(started.id);
    await waitFor(async () => (await describeGroup(env.client, "zoned")).Status === "available" && Object.values(rolesOf(await describeGroup(env.client, "zoned")).roles).filter((r) => r === "replica").length === 1, {
      timeoutMs: 60_000,
      description: "the lost node to be replaced once the power is back",
    });

    await fis.send(new DeleteExperimentTemplateCommand({ id: created.id }));
    await expect(fis.send(new GetExperimentTemplateCommand({ id: created.id }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await stateOf(started.id!)).state?.status).toBe("completed");
  });

  it("stops a running experiment: stopping, then stopped, and the zone has power again", async () => {
    const created = (await fis.send(new CreateExperimentTemplateCommand(template({}, { duration: "PT12H" })))).experimentTemplate!;
    const started = (await fis.send(new StartExperimentCommand({ experimentTemplateId: created.id }))).experiment!;
    await waitFor(async () => (await stateOf(started.id!)).state?.status === "running", { timeoutMs: 10_000, description: "the experiment to run" });
    const stopping = (await fis.send(new StopExperimentCommand({ id: started.id }))).experiment!;
    expect(["stopping", "stopped"]).toContain(stopping.state?.status);
    const stopped = await waitFor(async () => ((await stateOf(started.id!)).state?.status === "stopped" ? stateOf(started.id!) : false), { timeoutMs: 10_000, description: "the experiment to stop" });
    expect(stopped.actions?.cut.state?.status).toBe("stopped");
    expect(env.emulator.controlPlane.zonePower.isPowered("us-east-1", primaryZone)).toBe(true);
    await expect(fis.send(new StopExperimentCommand({ id: started.id }))).rejects.toThrow(/is stopped; only an initiating or running experiment can be stopped/);
  });

  it("fails an experiment whose target resolves to nothing, and answers a retried start with the same experiment", async () => {
    const tagged = (await fis.send(new CreateExperimentTemplateCommand(template({ targets: { Groups: { resourceType: "aws:elasticache:replicationgroup", resourceTags: { team: "nobody" }, selectionMode: "ALL" } } })))).experimentTemplate!;
    const input = { experimentTemplateId: tagged.id, clientToken: "retry-me" };
    const first = (await fis.send(new StartExperimentCommand(input))).experiment!;
    expect((await fis.send(new StartExperimentCommand(input))).experiment?.id).toBe(first.id);
    const failed = await waitFor(async () => ((await stateOf(first.id!)).state?.status === "failed" ? stateOf(first.id!) : false), { timeoutMs: 10_000, description: "the experiment to fail" });
    expect(failed.state?.reason).toMatch(/Target resolution returned empty set of resources/);
  });

  it("refuses what FIS refuses, with ValidationException or ResourceNotFoundException", async () => {
    const cases: Array<[CreateExperimentTemplateCommandInput, RegExp]> = [
      [template({ roleArn: "arn:aws:iam::000000000000:user/someone" }), /roleArn .* is not an IAM role ARN/],
      [template({}, { duration: "PT30S" }), /duration PT30S must be an ISO 8601 duration from PT1M to PT12H/],
      [template({}, { duration: "10 minutes" }), /duration 10 minutes must be/],
      [template({}, { availabilityZoneIdentifier: "eu-west-1a" }), /eu-west-1a is not an Availability Zone of us-east-1/],
      [template({ actions: { x: { actionId: "aws:ec2:stop-instances", targets: { Instances: "Groups" } } } }), /actionId aws:ec2:stop-instances is not supported/],
      [template({ targets: { Groups: { resourceType: "aws:ec2:instance", resourceArns: [groupArn], selectionMode: "ALL" } } }), /resource type aws:ec2:instance is not supported/],
      [template({ targets: { Groups: { resourceType: "aws:elasticache:replicationgroup", resourceArns: [groupArn], selectionMode: "SOME" } } }), /selectionMode SOME is not valid/],
      [template({ targets: { Groups: { resourceType: "aws:elasticache:replicationgroup", selectionMode: "ALL" } } }), /specify either resourceArns or resourceTags/],
      [template({ stopConditions: [{ source: "aws:cloudwatch:alarm", value: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:x" }] }), /Stop condition source aws:cloudwatch:alarm is not supported/],
    ];
    for (const [input, message] of cases) {
      const refused = await fis.send(new CreateExperimentTemplateCommand(input)).then(() => undefined, (error: unknown) => error);
      expect(refused, String(message)).toBeInstanceOf(ValidationException);
      expect((refused as Error).message).toMatch(message);
    }
    await expect(fis.send(new StartExperimentCommand({ experimentTemplateId: "EXTnosuch" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(fis.send(new GetExperimentCommand({ id: "EXPnosuch" }))).rejects.toThrow(/Experiment not found: EXPnosuch/);
  });
});

describe.skipIf(!HAS_AWS_CLI)("FIS through the AWS CLI", () => {
  it("creates a template, starts and stops an experiment, and shows FIS's error for a missing one", async () => {
    const spec = JSON.stringify(template({}, { duration: "PT12H" }));
    const created = await awsCli(env.emulator.url, ["fis", "create-experiment-template", "--cli-input-json", spec]);
    expect(created.stderr).toBe("");
    const templateId = JSON.parse(created.stdout).experimentTemplate.id;
    const started = JSON.parse((await awsCli(env.emulator.url, ["fis", "start-experiment", "--experiment-template-id", templateId])).stdout).experiment;
    expect(started.state.status).toBe("initiating");
    await waitFor(async () => (await stateOf(started.id)).state?.status === "running", { timeoutMs: 10_000, description: "the experiment to run" });
    const stopped = await awsCli(env.emulator.url, ["fis", "stop-experiment", "--id", started.id]);
    expect(JSON.parse(stopped.stdout).experiment.state.status).toMatch(/^stopp(ing|ed)$/);
    const shown = await waitFor(async () => {
      const got = JSON.parse((await awsCli(env.emulator.url, ["fis", "get-experiment", "--id", started.id])).stdout).experiment;
      return got.state.status === "stopped" ? got : false;
    }, { timeoutMs: 60_000, intervalMs: 500, description: "the CLI to show the experiment stopped" });
    expect(shown.actions.cut.state.status).toBe("stopped");
    const missing = await awsCli(env.emulator.url, ["fis", "get-experiment", "--id", "EXPnosuch"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/ResourceNotFoundException.*Experiment not found: EXPnosuch/);
  });
});

describe.skipIf(!HAS_BOTO3)("FIS through boto3", () => {
  it("reads templates and experiments with botocore's model and raises its modelled exceptions", async () => {
    const result = await boto3Script(
      env.emulator.url,
      "fis",
      `
import json
spec = ${JSON.stringify(JSON.stringify(template({}, { duration: "PT12H" })))}
t = client.create_experiment_template(**json.loads(spec))["experimentTemplate"]
e = client.start_experiment(experimentTemplateId=t["id"])["experiment"]
client.stop_experiment(id=e["id"])
try:
    client.create_experiment_template(**dict(json.loads(spec), roleArn="not-a-role-arn-at-all"))
    refused = None
except client.exceptions.ValidationException as error:
    refused = error.response["Error"]["Code"]
try:
    client.delete_experiment_template(id="EXTnosuch")
    missing = None
except client.exceptions.ResourceNotFoundException as error:
    missing = error.response["Error"]["Code"]
print(json.dumps({"template": t["id"], "created": t["creationTime"].isoformat(), "status": e["state"]["status"], "refused": refused, "missing": missing}))
`,
    );
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ template: expect.stringMatching(/^EXT/), status: "initiating", refused: "ValidationException", missing: "ResourceNotFoundException" });
    expect(Date.parse(out.created)).toBeGreaterThan(Date.now() - 120_000);
  });
});
