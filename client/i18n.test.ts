import { describe, expect, it } from 'vitest';
import { initialLanguage, resources } from './i18n';

/** Every key path of a translation table, plural forms (`_one`, `_other`) folded together. */
function keys(table: object, prefix = ''): string[] {
  return Object.entries(table).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? keys(v as object, `${prefix}${k}.`)
      : [`${prefix}${k.replace(/_(one|other)$/, '')}`],
  );
}

describe('UI text', () => {
  it('has every label in Indonesian and in English', () => {
    const id = [...new Set(keys(resources.id.translation))].sort();
    const en = [...new Set(keys(resources.en.translation))].sort();
    expect(en).toEqual(id);
  });

  it('opens in Indonesian unless English was chosen before', () => {
    expect(initialLanguage(null)).toBe('id');
    expect(initialLanguage('fr')).toBe('id');
    expect(initialLanguage('en')).toBe('en');
  });
});
