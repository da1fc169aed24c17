// Strings neither database stores faithfully: a lone UTF-16 surrogate (valid in JSON, not in UTF-8)
// made Prisma fail with "unexpected end of hex escape" on SQLite and PostgreSQL alike, and a NUL
// byte is refused by PostgreSQL ("invalid byte sequence") while SQLite keeps it. Both APIs refuse
// them before anything runs, so the two databases behave the same.
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/;

export const isUnstorable = (text: string): boolean => UNSTORABLE.test(text);
