// Types for find-browser.mjs, so TypeScript (Playwright config, specs, benchmarks) imports it directly.

/** Flags for every Chromium we launch ourselves: headless, no sandbox, no GPU, nothing phoning home. */
export declare const BROWSER_FLAGS: readonly string[];

/** BROWSER_FLAGS without `--headless`, for Playwright, which sets headless mode itself. */
export declare const PLAYWRIGHT_BROWSER_FLAGS: readonly string[];

export declare function findBrowser(options?: { install?: boolean }): Promise<string>;
