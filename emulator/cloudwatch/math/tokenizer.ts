import { MathError } from "./errors";

export type TokenType = "number" | "string" | "identifier" | "operator" | "paren" | "bracket" | "comma" | "end";

export interface Token {
  type: TokenType;
  text: string;
  /** Numbers carry their value; strings their unescaped content. */
  value?: number | string;
  position: number;
}

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "^", "<", ">"];

/** Splits a metric math expression into tokens; positions are 0-based character offsets for error messages. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    const number = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ type: "number", text: number[0], value: Number(number[0]), position: start });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (word) {
      tokens.push({ type: "identifier", text: word[0], position: start });
      i += word[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, next } = readString(source, i);
      tokens.push({ type: "string", text: source.slice(start, next), value, position: start });
      i = next;
      continue;
    }
    if (c === "(" || c === ")") tokens.push({ type: "paren", text: c, position: start });
    else if (c === "[" || c === "]") tokens.push({ type: "bracket", text: c, position: start });
    else if (c === ",") tokens.push({ type: "comma", text: c, position: start });
    else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new MathError(`Unexpected character '${c}' at position ${start}`);
      tokens.push({ type: "operator", text: op, position: start });
      i += op.length;
      continue;
    }
    i++;
  }
  tokens.push({ type: "end", text: "", position: source.length });
  return tokens;
}

function readString(source: string, open: number): { value: string; next: number } {
  const quote = source[open];
  let value = "";
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === "\\" && i + 1 < source.length) {
      value += source[++i];
    } else if (c === quote) {
      return { value, next: i + 1 };
    } else value += c;
  }
  throw new MathError(`Unterminated string starting at position ${open}`);
}
