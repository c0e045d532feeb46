import type { RegisteredOp } from './types.js';

/** Op names: a family, a dot, a camelCase verb (`face.searchMany`, `idPhoto.make`). */
const OP_NAME = /^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;

export class OpRegistry {
  private readonly ops = new Map<string, RegisteredOp>();

  register(...ops: RegisteredOp[]): this {
    for (const op of ops) {
      if (!OP_NAME.test(op.name)) throw new TypeError(`op name "${op.name}" is not family.verb`);
      if (this.ops.has(op.name)) throw new TypeError(`op "${op.name}" is registered twice`);
      this.ops.set(op.name, op);
    }
    return this;
  }

  get(name: string): RegisteredOp | undefined {
    return this.ops.get(name);
  }

  names(): string[] {
    return [...this.ops.keys()].sort();
  }
}
