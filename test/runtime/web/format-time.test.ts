/** One time format on every page: China time, whatever the zone the browser (or this test) runs in. */
import { describe, expect, it } from 'vitest';
import { formatTime } from '@lianban/runtime/web';

describe('formatTime', () => {
  it('should show an instant in China time as YYYY-MM-DD HH:mm', () => {
    expect(formatTime('2026-12-05T16:30:00Z')).toBe('2026-12-06 00:30');
    expect(formatTime(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31 23:59');
    expect(formatTime('2027-01-01T00:00:00+08:00')).toBe('2027-01-01 00:00');
  });

  it('should show nothing for no time or one that is not a time', () => {
    expect(formatTime(null)).toBe('');
    expect(formatTime(undefined)).toBe('');
    expect(formatTime('not a time')).toBe('');
  });
});
