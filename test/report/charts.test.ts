/** Chart steps fitted to windows, sparklines, and report times. */
import { describe, expect, it } from 'vitest';
import { bucketCount, chartStepMs } from '../../src/report/chart-step.js';
import { downsample, sparkline } from '../../src/report/charts.js';
import { formatReportTime, parseReportTime } from '../../src/report/time.js';

const H = 3_600_000;
const D = 24 * H;

describe('chart steps', () => {
  it.each([
    [[30 * D], 12 * H],
    [[28 * D], 12 * H],
    [[30 * D, 28 * D], 12 * H],
    [[7 * D], 3 * H],
    [[1 * D], 30 * 60_000],
    [[90 * D], 2 * D],
    [[30 * D, 7 * D + 60_000], 12 * H],
  ])('%o → %d ms', (spans, step) => {
    expect(chartStepMs(spans)).toBe(step);
    expect(Math.max(...spans) / chartStepMs(spans)).toBeLessThanOrEqual(60);
  });

  it('divides every window exactly when a nice step can', () => {
    const step = chartStepMs([30 * D, 28 * D, 14 * D]);
    for (const w of [30 * D, 28 * D, 14 * D]) expect(w % step).toBe(0);
  });

  it('counts a partial first bucket', () => {
    expect(bucketCount(30 * D, 12 * H)).toBe(60);
    expect(bucketCount(30 * D + 1, 12 * H)).toBe(61);
  });
});

describe('sparklines', () => {
  it('map the range onto eight levels and show gaps as dots', () => {
    expect(sparkline([0, 0.5, 1, null], { min: 0, max: 1 })).toBe('▁▅█·');
    expect(sparkline([2, -1], { min: 0, max: 1 })).toBe('█▁');
    expect(sparkline([0.3, 0.3], { min: 0.3, max: 0.3 })).toBe('██');
  });

  it('shrink long series, keeping the last value of cumulative ones and the worst of ratios', () => {
    expect(downsample([1, 0.9, 0.8, 0.7], 2, 'last')).toEqual([0.9, 0.7]);
    expect(downsample([0.99, 0.5, 0.8, 0.9], 2, 'min')).toEqual([0.5, 0.8]);
    expect(downsample([null, null, 1, null], 2, 'min')).toEqual([null, 1]);
    expect(sparkline(Array.from({ length: 60 }, (_, i) => 1 - i / 60), { min: 0, max: 1 }, 30)).toHaveLength(30);
  });
});

describe('--at', () => {
  it.each([
    ['1709251200', Date.UTC(2024, 2, 1)],
    ['1709251200.5', Date.UTC(2024, 2, 1) + 500],
    ['2024-03-01T00:00:00Z', Date.UTC(2024, 2, 1)],
    ['2024-03-01T01:00:00+01:00', Date.UTC(2024, 2, 1)],
    ['2024-03-01T00:00:00.250Z', Date.UTC(2024, 2, 1) + 250],
    ['2024-03-01', undefined],
    ['yesterday', undefined],
    ['2024-13-01T00:00:00Z', undefined],
    ['', undefined],
  ])('%s → %s', (text, ms) => {
    expect(parseReportTime(text)).toBe(ms);
  });

  it('prints UTC without needless milliseconds', () => {
    expect(formatReportTime(Date.UTC(2024, 2, 1))).toBe('2024-03-01T00:00:00Z');
    expect(formatReportTime(Date.UTC(2024, 2, 1) + 5)).toBe('2024-03-01T00:00:00.005Z');
  });
});
