import type { MetricIdentity } from "./dimensions";
import { MathError } from "./math/errors";
import { MAX_NESTING } from "./math/parser";

/**
 * The search language of SEARCH('...'): an optional schema `{Namespace, DimName, ...}` (metrics of that namespace
 * whose dimension names are exactly those), then terms combined with AND (implicit between terms), OR, NOT and
 * parentheses. A term is `Key=value` (Key = MetricName, Namespace or a dimension name) or a bare word; a quoted value
 * must match exactly, an unquoted one matches any part, case-insensitively. A bare word is looked for in the
 * namespace, the metric name and the dimension names and values.
 *
 * The search string can be as long as the client sends, so nothing here grows the stack with its length: terms joined
 * by AND or OR form one flat list, the tokenizer scans in one pass, and parentheses and NOT may nest at most
 * MAX_NESTING levels, as in metric math.
 */
export type MetricMatcher = (id: MetricIdentity) => boolean;

/** `value` is lower-cased at parse time when it matches in part, so matching a metric does not redo it. */
type Term = { key?: string; value: string; exact: boolean };
type Query = { kind: "term"; term: Term } | { kind: "not"; inner: Query } | { kind: "and" | "or"; operands: Query[] };

interface Token {
  kind: "word" | "quoted" | "equals" | "open" | "close" | "schema";
  text: string;
}

export function compileSearch(source: string): MetricMatcher {
  const tokens = tokenizeSearch(source);
  let schema: { namespace: string; dimensions: string[] } | undefined;
  if (tokens[0]?.kind === "schema") {
    const parts = splitSchema(tokens.shift()!.text);
    if (parts.length === 0 || parts[0] === "") throw new MathError("A SEARCH schema needs a namespace: {Namespace, DimensionName, ...}");
    schema = { namespace: parts[0], dimensions: parts.slice(1).sort() };
  }
  const parser = new SearchParser(tokens);
  const query = tokens.length ? parser.parse() : undefined;
  return (id) => {
    if (schema) {
      if (id.namespace !== schema.namespace) return false;
      const names = id.dimensions.map((d) => d.Name).sort();
      if (names.length !== schema.dimensions.length || names.some((n, i) => n !== schema.dimensions[i])) return false;
    }
    return query ? evaluateQuery(query, id) : true;
  };
}

function evaluateQuery(q: Query, id: MetricIdentity): boolean {
  switch (q.kind) {
    case "term":
      return matchesTerm(q.term, id);
    case "not":
      return !evaluateQuery(q.inner, id);
    case "and":
      return q.operands.every((operand) => evaluateQuery(operand, id));
    case "or":
      return q.operands.some((operand) => evaluateQuery(operand, id));
  }
}

function matchesTerm(term: Term, id: MetricIdentity): boolean {
  const like = (candidate: string) => (term.exact ? candidate === term.value : candidate.toLowerCase().includes(term.value));
  if (term.key === undefined) {
    return [id.namespace, id.metricName, ...id.dimensions.flatMap((d) => [d.Name, d.Value])].some(like);
  }
  if (term.key === "MetricName") return like(id.metricName);
  if (term.key === "Namespace") return like(id.namespace);
  const dimension = id.dimensions.find((d) => d.Name === term.key);
  return dimension !== undefined && like(dimension.Value);
}

function splitSchema(text: string): string[] {
  return text.split(",").map((p) => p.trim().replace(/^"(.*)"$/, "$1"));
}

const WORD = /[^\s=:()"{}]+/y;

function tokenizeSearch(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) i++;
    else if (c === "{") {
      const close = source.indexOf("}", i);
      if (close < 0) throw new MathError("Unclosed { in SEARCH expression");
      if (tokens.length > 0) throw new MathError("The SEARCH schema {...} must come first");
      tokens.push({ kind: "schema", text: source.slice(i + 1, close) });
      i = close + 1;
    } else if (c === '"') {
      const close = source.indexOf('"', i + 1);
      if (close < 0) throw new MathError("Unterminated quoted string in SEARCH expression");
      tokens.push({ kind: "quoted", text: source.slice(i + 1, close) });
      i = close + 1;
    } else if (c === "=" || c === ":") {
      tokens.push({ kind: "equals", text: c });
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "open" : "close", text: c });
      i++;
    } else {
      WORD.lastIndex = i;
      const word = WORD.exec(source)![0];
      tokens.push({ kind: "word", text: word });
      i += word.length;
    }
  }
  return tokens;
}

class SearchParser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Query {
    const q = this.or();
    if (this.index < this.tokens.length) throw new MathError(`Unexpected '${this.tokens[this.index].text}' in SEARCH expression`);
    return q;
  }

  private or(): Query {
    const operands = [this.and()];
    while (this.isWord("OR")) {
      this.index++;
      operands.push(this.and());
    }
    return operands.length === 1 ? operands[0] : { kind: "or", operands };
  }

  private and(): Query {
    const operands = [this.unary()];
    for (;;) {
      if (this.isWord("AND")) this.index++;
      else if (!this.startsOperand()) return operands.length === 1 ? operands[0] : { kind: "and", operands };
      operands.push(this.unary());
    }
  }

  private unary(): Query {
    if (this.isWord("NOT")) {
      this.index++;
      return { kind: "not", inner: this.nested(() => this.unary()) };
    }
    const t = this.tokens[this.index++];
    if (!t) throw new MathError("Unexpected end of SEARCH expression");
    if (t.kind === "open") {
      const inner = this.nested(() => this.or());
      if (this.tokens[this.index++]?.kind !== "close") throw new MathError("Missing ) in SEARCH expression");
      return inner;
    }
    if (t.kind !== "word" && t.kind !== "quoted") throw new MathError(`Unexpected '${t.text}' in SEARCH expression`);
    if (this.tokens[this.index]?.kind === "equals") {
      this.index++;
      const v = this.tokens[this.index++];
      if (!v || (v.kind !== "word" && v.kind !== "quoted")) throw new MathError(`Missing value after ${t.text}= in SEARCH expression`);
      return { kind: "term", term: termOf(v, t.text) };
    }
    return { kind: "term", term: termOf(t) };
  }

  /** One level deeper; past MAX_NESTING an error the client reads, not a stack overflow. */
  private nested(parse: () => Query): Query {
    if (++this.depth > MAX_NESTING) throw new MathError(`The SEARCH expression nests more than ${MAX_NESTING} levels deep (parentheses and NOT)`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private isWord(word: string): boolean {
    const t = this.tokens[this.index];
    return t?.kind === "word" && t.text === word;
  }

  private startsOperand(): boolean {
    const t = this.tokens[this.index];
    return t !== undefined && (t.kind === "word" || t.kind === "quoted" || t.kind === "open") && !this.isWord("OR");
  }
}

function termOf(value: Token, key?: string): Term {
  const exact = value.kind === "quoted";
  return { key, value: exact ? value.text : value.text.toLowerCase(), exact };
}
