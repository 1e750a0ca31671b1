import { describe, expect, it } from 'vitest';
import { isTyping, shortcutAction, SHORTCUTS, type KeyPress } from './verify-keys';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  target: { tagName: 'BODY' },
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  defaultPrevented: false,
  ...extra,
});

describe('shortcut keys', () => {
  it('v verifies, r rejects, k returns (either case)', () => {
    expect(shortcutAction(press('v'))).toBe('verify');
    expect(shortcutAction(press('R'))).toBe('reject');
    expect(shortcutAction(press('k'))).toBe('return');
    expect(shortcutAction(press('x'))).toBeNull();
    expect(SHORTCUTS).toEqual({ verify: 'v', reject: 'r', return: 'k' });
  });

  it('do nothing while typing in a field', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT', type: 'date' },
      { tagName: 'INPUT' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ])
      expect(shortcutAction(press('v', { target })), JSON.stringify(target)).toBeNull();
  });

  it('still act from a ticked checkbox or a button', () => {
    expect(isTyping({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(shortcutAction(press('v', { target: { tagName: 'BUTTON' } }))).toBe('verify');
  });

  it('leave browser shortcuts and held keys alone', () => {
    expect(shortcutAction(press('r', { ctrlKey: true }))).toBeNull();
    expect(shortcutAction(press('r', { metaKey: true }))).toBeNull();
    expect(shortcutAction(press('v', { altKey: true }))).toBeNull();
    expect(shortcutAction(press('v', { repeat: true }))).toBeNull();
    expect(shortcutAction(press('v', { defaultPrevented: true }))).toBeNull();
  });
});
