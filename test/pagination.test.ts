import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../src/db/pagination.ts';
import { ValidationError } from '../src/errors.ts';

describe('cursor', () => {
  it('round-trips a timestamp and id', () => {
    const cursor = { at: new Date('2022-03-01T10:00:00.000Z'), id: '6f1c2a4e-8b7d-4c1e-9f00-123456789abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  // Regression: 36 hyphens passed the old check and reached PostgreSQL as a uuid: a 500.
  it.each([
    Buffer.from(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`).toString('base64url'),
    Buffer.from('yesterday|6f1c2a4e-8b7d-4c1e-9f00-123456789abc').toString('base64url'),
    'not base64 at all!',
  ])('refuses a crafted cursor %s as bad input, not a server error', (value) => {
    expect(() => decodeCursor(value)).toThrow(ValidationError);
  });
});
