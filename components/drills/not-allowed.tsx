/** What a page says to a signed-in person whose role lacks the permission to read it (the permission table decides). */
export function NotAllowed({ role, what }: { role: string; what: string }) {
  return (
    <main className="max-w-3xl">
      <p role="note">
        Your role ({role}) cannot read {what}. Ask an admin if you need it.
      </p>
    </main>
  );
}
