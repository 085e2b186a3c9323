import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The authenticator app of an enrolled Administrator, as the suite holds
 * it: the key, the last 30-second step whose code was used (the server
 * takes each code once), and recovery codes not used yet.
 */
export type Authenticator = { secret: string; lastStep: number; recovery: string[] };

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
      value &= (1 << bits) - 1;
    }
  }
  return Buffer.from(bytes);
}

/** The 30-second step of a moment (now by default). */
export function stepAt(milliseconds = Date.now()): number {
  return Math.floor(milliseconds / 30_000);
}

/**
 * The code an authenticator app shows `offsetSeconds` from now: RFC 6238
 * (HMAC-SHA-1, 30-second steps, 6 digits), written out here independently
 * of the server's implementation.
 */
export function totp(secretBase32: string, offsetSeconds = 0): string {
  return codeForStep(secretBase32, stepAt(Date.now() + offsetSeconds * 1000));
}

/** The code of one 30-second step. */
export function codeForStep(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary =
    ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * The environment variable naming the file that holds every enrolled
 * Administrator's authenticator for the run: the global setup creates it,
 * and each use of a code or enrolment in a spec writes it back, so a
 * worker started after a failure knows which codes were used.
 */
export const AUTHENTICATORS_FILE = 'PORTCULLIS_E2E_AUTHENTICATORS';

/** Every authenticator of the run, by email. */
export function readAuthenticators(): Record<string, Authenticator> {
  const file = process.env[AUTHENTICATORS_FILE];
  if (!file || !existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Authenticator>;
}

/** Records one Administrator's authenticator as it stands now. */
export function saveAuthenticator(email: string, authenticator: Authenticator) {
  const file = process.env[AUTHENTICATORS_FILE];
  if (!file) throw new Error(`${AUTHENTICATORS_FILE} is not set: the global setup did not run`);
  writeFileSync(file, JSON.stringify({ ...readAuthenticators(), [email]: authenticator }));
}
