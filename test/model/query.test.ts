import { describe, expect, it } from 'vitest';
import { escapePromString, renderWindow } from '../../src/model/query.js';

describe('escapePromString', () => {
  it.each([
    ['checkout/availability', 'checkout/availability'],
    ['say "hi"', 'say \\"hi\\"'],
    ['C:\\path', 'C:\\\\path'],
    ['two\nlines', 'two\\nlines'],
    ['\\"', '\\\\\\"'],
    ['', ''],
  ])('%j → %j', (value, escaped) => {
    expect(escapePromString(value)).toBe(escaped);
  });
});

describe('renderWindow', () => {
  it('fills every {{window}}, spaces inside the braces allowed', () => {
    expect(renderWindow('rate(x[{{window}}]) / rate(y[{{ window }}])', '5m')).toBe('rate(x[5m]) / rate(y[5m])');
  });
});
