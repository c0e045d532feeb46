export declare const CHROMIUM_FLAGS: string[];
export declare function chromePath(): string | null;
export declare function ensureSystem(options?: { redis?: boolean }): void;
