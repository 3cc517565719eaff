import { describe, expect, it } from 'vitest';
import { formatBillingDate, formatTwd } from './format';

describe('formatBillingDate', () => {
  // 00:30 on 1 December in Taipei is still 30 November in UTC and everywhere west of it.
  const justAfterMidnightInTaipei = '2026-11-30T16:30:00.000Z';

  it('names the day in Taipei, whatever the time zone of the machine, and says so', () => {
    expect(formatBillingDate(justAfterMidnightInTaipei, 'en')).toBe(
      'December 1, 2026 (Taipei time)',
    );
    expect(formatBillingDate(justAfterMidnightInTaipei, 'zh-TW')).toBe('2026年12月1日（台北時間）');
  });

  it('and the day before just before midnight in Taipei', () => {
    expect(formatBillingDate('2026-11-30T15:59:00.000Z', 'en')).toBe(
      'November 30, 2026 (Taipei time)',
    );
  });
});

describe('formatTwd', () => {
  it('writes NT$ in both languages', () => {
    expect(formatTwd(990, 'en')).toBe('NT$990');
    expect(formatTwd(1290, 'zh-TW')).toBe('NT$1,290');
  });
});
