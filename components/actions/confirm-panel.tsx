"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { OperationState } from "@/components/actions/use-operation";

interface Props {
  /** The operation's heading, e.g. "Test failover". */
  title: string;
  /** data-testid of the operation's section. */
  testId: string;
  /** What the button says, e.g. "Start test failover". */
  verb: string;
  /** What will happen, naming the cluster and shard. */
  effect: ReactNode;
  /** The text the person must type to confirm (the replication group's id). */
  confirmText: string;
  state: OperationState;
  onConfirm: (confirmation: string) => void;
  children?: ReactNode;
}

const fieldError = "mt-1 text-sm text-red-800 dark:text-red-300";

export function FieldError({ messages }: { messages?: string[] }) {
  if (!messages?.length) return null;
  return <p className={fieldError}>{messages.join(" ")}</p>;
}

/** A deliberate confirmation: the effect in words, the group id typed by hand, and one submission at a time. */
export function ConfirmPanel({ title, testId, verb, effect, confirmText, state, onConfirm, children }: Props) {
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const headingId = useId();
  const matches = typed.trim() === confirmText;
  // Marks the form interactive once React has hydrated it, for browser tests that must not type into dead HTML.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => formRef.current?.setAttribute("data-ready", "true"), []);

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2" data-testid={testId}>
      <h3 id={headingId} className="font-medium">
        {title}
      </h3>
      <form
        ref={formRef}
      className="flex flex-col gap-3 rounded-md border border-amber-400 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950/40"
      onSubmit={(event) => {
        event.preventDefault();
        if (matches && !state.pending) onConfirm(typed);
      }}
    >
      <p>{effect}</p>
      {children}
      <label htmlFor={inputId} className="flex flex-col gap-1">
        <span>
          Type <strong className="font-mono">{confirmText}</strong> to confirm
        </span>
        <input
          id={inputId}
          name="confirmation"
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <FieldError messages={state.fieldErrors.confirmation} />
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={!matches || state.pending}
          className="rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {state.pending ? `${verb}…` : verb}
        </button>
      </div>
      {state.error && (
        <p role="alert" className="rounded-md border border-red-400 bg-red-50 p-2 text-red-900 dark:bg-red-950 dark:text-red-100">
          {state.error}
        </p>
      )}
      {state.success && (
        <p role="status" className="rounded-md border border-emerald-400 bg-emerald-50 p-2 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          {state.success}
        </p>
      )}
      </form>
    </section>
  );
}
