import { describe, expect, it } from 'vitest';
import { METHODS_TEXT, METRIC_ORDER } from './methods-text';
import { METRIC_OPTIONS } from './url-state';

/** The shape of a value: keys of objects, lengths of lists. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  return typeof value;
}

describe('the Data & methods page text', () => {
  it('says the same things in Indonesian and English', () => {
    expect(shape(METHODS_TEXT.en)).toEqual(shape(METHODS_TEXT.id));
  });

  it('defines every measure the map offers, once, in both languages', () => {
    for (const metric of METRIC_OPTIONS) expect(METRIC_ORDER).toContain(metric);
    for (const lang of ['id', 'en'] as const) {
      expect(Object.keys(METHODS_TEXT[lang].metrics).sort()).toEqual([...METRIC_ORDER].sort());
      for (const key of METRIC_ORDER)
        expect(METHODS_TEXT[lang].metrics[key].definition).not.toBe('');
    }
  });

  it('quotes the published KSBB total the Indonesian way', () => {
    for (const lang of ['id', 'en'] as const)
      expect(METHODS_TEXT[lang].realItems.join(' ')).toContain('561.118');
  });
});
