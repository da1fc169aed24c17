/** Replaced by the package version at build time (tsup `define`, vitest `define`). */
declare const __VERSION__: string;
