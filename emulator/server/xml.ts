/** Characters XML 1.0 cannot carry at all, not even as a character reference (most C0 controls, lone surrogates). */
export const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const ESCAPES: Readonly<Record<string, string>> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;", "\r": "&#13;" };
const TO_ESCAPE = new RegExp(`[<>&'"\\r]|${XML_FORBIDDEN.source}`, "gu");

/**
 * Text for an XML element. A carriage return is escaped because parsers turn a literal one into a line feed; a
 * character XML cannot carry becomes U+FFFD, so a stored value (a metric name sent over JSON, say) can never make a
 * whole response unreadable.
 */
export function xmlEscape(text: string): string {
  return text.replace(TO_ESCAPE, (c) => ESCAPES[c] ?? "\uFFFD");
}

/**
 * Renders a plain object as the members of an XML structure. Lists repeat the item element named for their member
 * in `listItemNames` ("member" otherwise); a JS Map is a map member (`<entry><key/><value/></entry>`); dates are
 * ISO 8601 UTC; undefined and null members are left out, as AWS leaves out members it has no value for.
 */
export function renderXmlValue(value: unknown, listItemNames: Readonly<Record<string, string>>): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return xmlEscape(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) throw new Error("a list must be a member of a structure");
  let out = "";
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    if (member === undefined || member === null) continue;
    if (member instanceof Map) {
      out += `<${name}>${[...member].map(([k, v]) => `<entry><key>${xmlEscape(String(k))}</key><value>${renderXmlValue(v, listItemNames)}</value></entry>`).join("")}</${name}>`;
    } else if (Array.isArray(member)) {
      const item = listItemNames[name] ?? "member";
      out += `<${name}>${member.map((m) => `<${item}>${renderXmlValue(m, listItemNames)}</${item}>`).join("")}</${name}>`;
    } else {
      out += `<${name}>${renderXmlValue(member, listItemNames)}</${name}>`;
    }
  }
  return out;
}
