/**
 * Installs the egress guard on this worker's scope. The vision worker imports this module before
 * any other, so the guard is in place before any other module of the worker runs. When the same
 * bundle runs on the page (the worker ladder's last rung), only the runtime's telemetry is refused
 * (page-guard.ts): the site's own requests are not ours to block.
 */
import { installEgressGuard, type GuardableScope } from './egress-guard.js';
import { installPageGuard } from './page-guard.js';

const inWorker = typeof WorkerGlobalScope === 'function' && self instanceof WorkerGlobalScope;

export const egress = inWorker ? installEgressGuard(self as unknown as GuardableScope) : installPageGuard(self as unknown as Parameters<typeof installPageGuard>[0]);
