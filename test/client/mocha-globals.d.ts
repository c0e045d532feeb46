// Mocha's globals as far as the client tests use them (no @types/mocha in this repository).
// Only for `tsc -p test/client`, which type-checks these tests.
interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
}
declare function describe(title: string, fn: (this: MochaContext) => void): void;
declare function it(title: string, fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function before(fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function after(fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function beforeEach(fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function afterEach(fn: (this: MochaContext) => void | Promise<unknown>): void;
