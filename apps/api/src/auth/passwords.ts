import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane):
 * about 20–40 ms per hash here, slow enough to make guessing expensive, fast enough for login.
 */
const OPTIONS = { type: argon2.argon2id as 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the same time as a real check, so an unknown username is not told by timing. */
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(await dummy, password);
}

/** A random password that meets the rule: for new accounts and resets, shown once. */
export function generatePassword(): string {
  // 18 bytes → 24 base64url characters; the suffix guarantees a letter and a digit.
  return `${randomBytes(18).toString('base64url')}a7`;
}
