// Mocha's globals, as far as the element tests use them (no @types/mocha in this repository).
// Only for `tsc -p packages/elements/tsconfig.test.json`, which type-checks the tests.
interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
}
type MochaDone = (error?: unknown) => void;
declare function describe(title: string, fn: (this: MochaContext) => void): void;
declare function it(title: string, fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function before(fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function after(fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function beforeEach(fn: (this: MochaContext) => void | Promise<unknown>): void;
declare function afterEach(fn: (this: MochaContext) => void | Promise<unknown>): void;
