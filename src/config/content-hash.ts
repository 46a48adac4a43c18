import { createHash, createHmac } from 'crypto';

// Internal: the hashes of canonical content (config-hash and secret-hash annotations, name suffixes).

/** Plain SHA-256 (hex) of a canonical string: for content that is public anyway. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** HMAC-SHA256 (hex) keyed with material that never appears in the output. */
export function hmacSha256(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

