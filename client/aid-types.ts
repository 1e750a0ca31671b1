import type { Meta } from './api';
import type { Language } from './i18n';
import { AID_TYPE_OPTIONS, type AidKey } from './url-state';

/** Aid type names in the UI language, from /api/meta (the slug until it has loaded). */
export function aidLabels(meta: Meta | undefined, lang: Language): Record<AidKey, string> {
  return Object.fromEntries(
    AID_TYPE_OPTIONS.map((a) => [a, meta?.aid_types.find((x) => x.slug === a)?.name[lang] ?? a]),
  ) as Record<AidKey, string>;
}

/** The aid types a chart draws: those filtered on, or all of them. */
export function shownAidTypes(aid: readonly AidKey[]): readonly AidKey[] {
  return aid.length ? AID_TYPE_OPTIONS.filter((a) => aid.includes(a)) : AID_TYPE_OPTIONS;
}
