/**
 * Installs the egress guard on this worker's scope. The vision worker imports this module before
 * any other, so the guard is in place before any other module of the worker runs.
 */
import { installEgressGuard, type GuardableScope } from './egress-guard.js';

export const egress = installEgressGuard(self as unknown as GuardableScope);
