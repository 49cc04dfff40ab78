/** A problem in a metric math expression, reported to the client as a ValidationError naming the query. */
export class MathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MathError";
  }
}
