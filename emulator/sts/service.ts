import type { Caller, ServiceDefinition } from "@/emulator/server/service";
import { assumeRole } from "./assume-role";
import type { StsSessions } from "./sessions";

/**
 * AWS Security Token Service (2011-06-15) over awsQuery: AssumeRole and GetCallerIdentity, shared by every account
 * (a caller of any account may assume a role of another, as across AWS accounts).
 */
export function stsService(sessions: StsSessions): ServiceDefinition {
  // A call from inside the emulator carries no caller: it acts as the default account's root, like an unsigned request.
  const callerOf = (caller: Caller | undefined): Caller => caller ?? sessions.defaultCaller();
  return {
    signingName: "sts",
    version: "2011-06-15",
    xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
    xmlListItemNames: {},
    operations: {
      AssumeRole: assumeRole(sessions, callerOf),
      GetCallerIdentity: async (_input, ctx) => {
        const caller = callerOf(ctx.caller);
        return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
      },
    },
  };
}
