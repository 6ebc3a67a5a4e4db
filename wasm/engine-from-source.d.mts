// Types of wasm/engine-from-source.mjs for the TypeScript side (tests).
export const engineSourceNames: string[];
export const debianPackages: string[];
export const compileFlags: string[];
export const linkFlags: string[];
export function emccVersion(): string | null;
export function missingToolchain(): string[];
export function engineTranslationUnits(cmakeLists: string): string[];
export function engineMakefile(units: string[], source: { version: string; commit: string }): string;
