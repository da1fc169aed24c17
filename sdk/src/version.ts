/** The version of this SDK, as published. */
export const VERSION: string = __VERSION__;
