export declare const CHROMIUM_FLAGS: string[];
export declare function chromePath(): string | null;
export declare const LOOPBACK_ONLY: string;
export declare function fakeCameraArgs(video: string): string[];
export declare function ensureSystem(options?: { redis?: boolean }): void;
/** A font that covers Simplified Chinese, as fontconfig sees it (always true off Linux). */
export declare function hasChineseFont(): boolean;
