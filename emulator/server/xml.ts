export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);
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
