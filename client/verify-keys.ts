import type { Action } from './verify-rules';

/** One key per action, shown on its button: v verify, r reject, k return (kembalikan). */
export const SHORTCUTS: Record<Action, string> = { verify: 'v', reject: 'r', return: 'k' };

/** Inputs a key press does not type into: a shortcut pressed there still acts. */
const NON_TEXT_INPUTS = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
]);

interface TargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** Whether a key press at this element types text (or picks an option) rather than commands. */
export function isTyping(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as TargetLike;
  if (el.isContentEditable) return true;
  const tag = el.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((el.type || 'text').toLowerCase());
  return false;
}

export interface KeyPress {
  key: string;
  target: unknown;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  defaultPrevented: boolean;
}

/** The action a key press asks for, or null (other keys, held keys, modifiers, typing). */
export function shortcutAction(e: KeyPress): Action | null {
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || e.defaultPrevented) return null;
  if (isTyping(e.target)) return null;
  const key = e.key.toLowerCase();
  const hit = (Object.entries(SHORTCUTS) as [Action, string][]).find(([, k]) => k === key);
  return hit?.[0] ?? null;
}
