import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { metaOptions, type Meta } from './api';
import type { Language } from './i18n';

export interface TypeNames {
  aid: (slug: string) => string;
  recipient: (slug: string) => string;
  /** An aggregator's short name (ACT, BAZNAS), for narrow columns. */
  aggregator: (slug: string) => string;
}

/** Names of aid and recipient types in a language, from /api/meta (the slug until it loaded). */
export function typeNames(meta: Meta | undefined, lang: Language): TypeNames {
  const aid = new Map(meta?.aid_types.map((a) => [a.slug as string, a.name[lang]]));
  const recipient = new Map(meta?.recipient_types.map((r) => [r.slug as string, r.name[lang]]));
  const aggregator = new Map(meta?.aggregators.map((a) => [a.slug as string, a.short_name]));
  return {
    aid: (slug) => aid.get(slug) ?? slug,
    recipient: (slug) => recipient.get(slug) ?? slug,
    aggregator: (slug) => aggregator.get(slug) ?? slug,
  };
}

export function useTypeNames(lang: Language): TypeNames {
  const meta = useQuery(metaOptions()).data;
  return useMemo(() => typeNames(meta, lang), [meta, lang]);
}
