// Ids made in the API rather than by Prisma's default, for rows written in plain SQL.
import { randomBytes } from 'node:crypto';

let idCounter = 0;
/** A cuid-shaped id (25 characters: c, time, counter, random; base 36), as Prisma's default would make. */
export function newId(): string {
  idCounter = (idCounter + 1) % 1_679_616; // 36^4
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0').slice(-12);
  return `c${Date.now().toString(36).padStart(8, '0')}${idCounter.toString(36).padStart(4, '0')}${random}`;
}
