import { describe, expect, it } from "vitest";
import { sameOriginPath } from "@/lib/auth/same-origin";
import { offSiteCallbacks } from "../helpers/off-site-callbacks";

const origin = "http://127.0.0.1:3000";

describe("sameOriginPath", () => {
  it("keeps paths on the own origin with their query and fragment", () => {
    expect(sameOriginPath("/clusters/us-east-1/orders?range=1h#nodes", origin)).toBe("/clusters/us-east-1/orders?range=1h#nodes");
    expect(sameOriginPath("http://127.0.0.1:3000/audit?who=ada", origin)).toBe("/audit?who=ada");
    expect(sameOriginPath("/drills/../audit", origin)).toBe("/audit");
    expect(sameOriginPath("audit", origin)).toBe("/audit");
  });

  it("keeps encoded backslashes and slashes as the path they are (a browser does not read them as a host)", () => {
    expect(sameOriginPath("/%5c%5cevil.example", origin)).toBe("/%5c%5cevil.example");
    expect(sameOriginPath("/%2f%2fevil.example", origin)).toBe("/%2f%2fevil.example");
    expect(sameOriginPath("/%09/evil.example", origin)).toBe("/%09/evil.example");
    // A scheme without slashes is a relative path to the URL parser, as to a browser.
    expect(sameOriginPath("http:evil.example", origin)).toBe("/evil.example");
  });

  it.each(offSiteCallbacks(origin))("sends %j home", (value) => {
    expect(sameOriginPath(value, origin)).toBe("/");
  });

  it("sends empty, missing and non-text values home", () => {
    for (const value of ["", undefined, null, ["/audit"], 42]) expect(sameOriginPath(value, origin)).toBe("/");
  });
});
