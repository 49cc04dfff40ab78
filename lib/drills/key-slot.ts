// Redis Cluster's key → slot mapping (CRC16/XMODEM of the key, or of its {hash tag}, modulo 16384), so the probe can
// pick keys that land on the shard being drilled.

export const SLOT_COUNT = 16_384;

function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, "utf8")) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The part of a key Redis hashes: the first non-empty {…} section, else the whole key. */
function hashedPart(key: string): string {
  const open = key.indexOf("{");
  if (open === -1) return key;
  const close = key.indexOf("}", open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

export function keySlot(key: string): number {
  return crc16(hashedPart(key)) % SLOT_COUNT;
}

/** "0-5460" or "0-100,200-300" (ElastiCache's NodeGroup.Slots) → inclusive ranges. */
export function parseSlots(slots: string): [number, number][] {
  return slots
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [from, to = from] = part.split("-").map(Number);
      return [from, to] as [number, number];
    });
}

/** A hash tag whose keys land in `slots`: `prefix-0`, `prefix-1`… until one fits. */
export function hashTagIn(slots: [number, number][], prefix: string): string {
  for (let n = 0; n < 1_000_000; n += 1) {
    const tag = `${prefix}-${n}`;
    const slot = keySlot(tag);
    if (slots.some(([from, to]) => slot >= from && slot <= to)) return tag;
  }
  throw new Error(`no hash tag found for slots ${JSON.stringify(slots)}`);
}
