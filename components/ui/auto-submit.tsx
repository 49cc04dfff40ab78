"use client";

import { useEffect, useRef } from "react";

/** Submits the surrounding form when a select changes, so filters apply at once; without JavaScript, Apply does it. */
export function AutoSubmit() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const form = ref.current?.closest("form");
    const onChange = (event: Event) => {
      if (event.target instanceof HTMLSelectElement) form?.requestSubmit();
    };
    form?.addEventListener("change", onChange);
    form?.setAttribute("data-autosubmit", "ready");
    return () => form?.removeEventListener("change", onChange);
  }, []);
  return <span ref={ref} hidden />;
}
