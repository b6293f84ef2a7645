// A small character scanner for PostgREST's URL grammar: identifiers (bare or "quoted"), symbols,
// and PGRST100 errors that point at the failing column.
import { parseError, type RestError } from "../errors.ts";

const BARE = /[\p{L}\p{N}_$ -]/u;

export class Scanner {
  pos = 0;
  constructor(
    readonly input: string,
    /** What is being parsed, for the error message: "select parameter", "filter", ... */
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.input.length;
  }

  peek(text: string): boolean {
    return this.input.startsWith(text, this.pos);
  }

  eat(text: string): boolean {
    if (!this.peek(text)) return false;
    this.pos += text.length;
    return true;
  }

  expect(text: string): void {
    if (!this.eat(text)) throw this.fail(`"${text}"`);
  }

  fail(expecting: string): RestError {
    const found = this.done ? "end of input" : `"${this.input[this.pos]}"`;
    return parseError(this.what, this.input, this.pos, `unexpected ${found} expecting ${expecting}`);
  }

  /** A bare identifier (letters, digits, `_`, `$`, space, `-` not starting `->`) or a "quoted" one. */
  identifier(): string {
    if (this.peek('"')) return this.quoted();
    const start = this.pos;
    while (!this.done && BARE.test(this.input[this.pos]) && !(this.input[this.pos] === "-" && this.input[this.pos + 1] === ">")) this.pos++;
    const name = this.input.slice(start, this.pos).trim();
    if (!name) {
      this.pos = start;
      throw this.fail("field name (* or [a..z0..9_$])");
    }
    return name;
  }

  /** `"..."` with backslash escapes; never a NUL, which PostgreSQL identifiers and text cannot hold
   * (in statement text it would cut the statement short and break the wire protocol). */
  quoted(): string {
    this.expect('"');
    let out = "";
    while (!this.done && !this.peek('"')) {
      if (this.peek("\\") && this.pos + 1 < this.input.length) this.pos++;
      if (this.input[this.pos] === "\0") throw this.fail("a character other than NUL");
      out += this.input[this.pos++];
    }
    this.expect('"');
    return out;
  }
}
