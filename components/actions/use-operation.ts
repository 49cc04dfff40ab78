"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult, FieldErrors } from "@/lib/actions/run-action";

export interface OperationState {
  pending: boolean;
  error: string | null;
  fieldErrors: FieldErrors;
  success: string | null;
}

/**
 * Runs a server action once at a time: while it runs the form stays disabled (no double submission). Once AWS has
 * accepted the change the person is taken to `followUrl` (the cluster page, refreshing quickly, or a page the result
 * names, such as a drill's) to watch it happen.
 */
export function useOperation<Input, Data>(
  action: (input: Input) => Promise<ActionResult<Data>>,
  followUrl: string | ((data: Data, auditId: number) => string),
  describeSuccess: (data: Data, auditId: number) => string,
) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<Omit<OperationState, "pending">>({ error: null, fieldErrors: {}, success: null });

  const submit = (input: Input) => {
    if (pending) return;
    startTransition(async () => {
      try {
        const result = await action(input);
        if (result.ok) {
          setOutcome({ error: null, fieldErrors: {}, success: describeSuccess(result.data, result.auditId) });
          router.push(typeof followUrl === "string" ? followUrl : followUrl(result.data, result.auditId));
        } else {
          setOutcome({ error: result.error, fieldErrors: result.fieldErrors ?? {}, success: null });
        }
      } catch {
        setOutcome({ error: "CacheDeck could not be reached. Check your connection and the cluster's events, then try again.", fieldErrors: {}, success: null });
      }
    });
  };
  return { submit, state: { pending, ...outcome } satisfies OperationState };
}
