import type { BrowserContext, LaunchOptions } from 'playwright-core';
/** A browser on a new, empty persistent profile; `close()` removes its folder. */
export declare function launchProfile(launchOptions: LaunchOptions): Promise<{ context: BrowserContext; close(): Promise<void> }>;
/** Records into `foreign` (returned) the URLs of `context`'s requests that go to none of `origins`. */
export declare function watchForeign(context: BrowserContext, origins: readonly string[], foreign?: string[]): string[];
