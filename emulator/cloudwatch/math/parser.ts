import { MathError } from "./errors";
import { tokenize, type Token } from "./tokenizer";

export type BinaryOperator = "+" | "-" | "*" | "/" | "^" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "AND" | "OR";

export type Node =
  | { type: "number"; value: number }
  | { type: "string"; value: string }
  /** An identifier: another query's Id, or a keyword argument such as REPEAT, DESC or AVG. */
  | { type: "ref"; name: string; position: number }
  | { type: "call"; name: string; args: Node[]; position: number }
  | { type: "array"; items: Node[] }
  | { type: "unary"; op: "-" | "+"; operand: Node }
  | { type: "binary"; op: BinaryOperator; left: Node; right: Node };

/**
 * Recursive descent over CloudWatch's metric math grammar. Precedence, loosest first: OR (`||`), AND (`&&`),
 * comparisons, + -, * /, unary minus, ^ (right-associative, so -2^2 is -4 and 2^3^2 is 512).
 */
export function parseExpression(source: string): Node {
  if (source.trim() === "") throw new MathError("The expression is empty");
  const parser = new Parser(tokenize(source));
  const node = parser.expression();
  parser.expectEnd();
  return node;
}

/**
 * How deeply groups, calls, arrays and prefix signs may nest. Each level costs about ten stack frames here and more
 * in the evaluator, so 1,000 nested parentheses (well within the 2,048-character limit) would overflow the stack;
 * real expressions nest a handful of levels.
 */
export const MAX_NESTING = 100;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  expression(): Node {
    return this.or();
  }

  expectEnd() {
    const t = this.peek();
    if (t.type !== "end") throw unexpected(t);
  }

  private or(): Node {
    let left = this.and();
    while (this.acceptWord("OR") || this.acceptOperator("||")) left = { type: "binary", op: "OR", left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.comparison();
    while (this.acceptWord("AND") || this.acceptOperator("&&")) left = { type: "binary", op: "AND", left, right: this.comparison() };
    return left;
  }

  private comparison(): Node {
    return this.leftAssociative(() => this.additive(), "==", "!=", "<=", ">=", "<", ">");
  }

  private additive(): Node {
    return this.leftAssociative(() => this.multiplicative(), "+", "-");
  }

  private multiplicative(): Node {
    return this.leftAssociative(() => this.unary(), "*", "/");
  }

  /** `operand (op operand)*`, grouping to the left. */
  private leftAssociative(operand: () => Node, ...ops: string[]): Node {
    let left = operand();
    for (;;) {
      const op = this.acceptOperator(...ops);
      if (!op) return left;
      left = { type: "binary", op: op as BinaryOperator, left, right: operand() };
    }
  }

  private unary(): Node {
    const op = this.acceptOperator("-", "+");
    if (op) return { type: "unary", op: op as "-" | "+", operand: this.nested(() => this.unary()) };
    return this.power();
  }

  /** Parses one level deeper, refusing past MAX_NESTING with an error the client reads, not a stack overflow. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw new MathError(`The expression nests more than ${MAX_NESTING} levels deep (parentheses, calls, arrays and signs)`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private power(): Node {
    const base = this.primary();
    if (this.acceptOperator("^")) return { type: "binary", op: "^", left: base, right: this.nested(() => this.unary()) };
    return base;
  }

  private primary(): Node {
    const t = this.next();
    switch (t.type) {
      case "number":
        return { type: "number", value: t.value as number };
      case "string":
        return { type: "string", value: t.value as string };
      case "identifier":
        if (this.peek().text === "(") {
          this.next();
          return { type: "call", name: t.text.toUpperCase(), args: this.nested(() => this.list(")")), position: t.position };
        }
        return { type: "ref", name: t.text, position: t.position };
      case "paren":
        if (t.text === "(") {
          const inner = this.nested(() => this.expression());
          this.expect(")");
          return inner;
        }
        break;
      case "bracket":
        if (t.text === "[") return { type: "array", items: this.nested(() => this.list("]")) };
        break;
    }
    throw unexpected(t);
  }

  /** Comma-separated expressions up to `close`, which is consumed. */
  private list(close: ")" | "]"): Node[] {
    const items: Node[] = [];
    if (this.peek().text === close) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.expression());
      const t = this.next();
      if (t.text === close) return items;
      if (t.type !== "comma") throw unexpected(t);
    }
  }

  private expect(text: string) {
    const t = this.next();
    if (t.text !== text) throw unexpected(t);
  }

  private acceptOperator(...ops: string[]): string | undefined {
    const t = this.peek();
    if (t.type === "operator" && ops.includes(t.text)) {
      this.index++;
      return t.text;
    }
    return undefined;
  }

  private acceptWord(word: string): boolean {
    const t = this.peek();
    if (t.type === "identifier" && t.text.toUpperCase() === word && this.tokens[this.index + 1]?.text !== "(") {
      this.index++;
      return true;
    }
    return false;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const t = this.tokens[this.index];
    if (t.type !== "end") this.index++;
    return t;
  }
}

function unexpected(t: Token): MathError {
  return new MathError(t.type === "end" ? "Unexpected end of expression" : `Unexpected '${t.text}' at position ${t.position}`);
}
