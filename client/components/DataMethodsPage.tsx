import { useQuery } from '@tanstack/react-query';
import { metaOptions, type Principal } from '../api';
import type { Language } from '../i18n';
import { METHODS_TEXT, METRIC_ORDER } from '../methods-text';
import { canSeeUnverified } from '../record-scope';
import { callerKey } from '../verify-rules';
import { AggregatorFreshness } from './AggregatorFreshness';
import { VerificationQueues } from './VerificationQueues';

/**
 * Sources, attributions, what is real and what is modelled, how recent each aggregator's data
 * are, and how every measure is computed; planners also see the verification queues.
 */
export function DataMethodsPage({
  lang,
  principal,
  onClose,
}: {
  lang: Language;
  principal: Principal | null | undefined;
  onClose: () => void;
}) {
  const text = METHODS_TEXT[lang];
  const meta = useQuery(metaOptions());
  return (
    <article className="methods-page" data-testid="methods-page">
      <button type="button" className="link back" onClick={onClose}>
        ← {text.back}
      </button>
      <h1>{text.title}</h1>
      {text.intro.map((p) => (
        <p key={p}>{p}</p>
      ))}

      <h2>{text.sourcesTitle}</h2>
      <table>
        <caption>{text.sourcesCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.columns.what}</th>
            <th scope="col">{text.columns.source}</th>
            <th scope="col">{text.columns.licence}</th>
            <th scope="col">{text.columns.kind}</th>
          </tr>
        </thead>
        <tbody>
          {(meta.data?.sources ?? []).map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.what[lang]}</th>
              <td>{s.source}</td>
              <td>{s.licence}</td>
              <td>
                <span className={s.modelled ? 'kind modelled' : 'kind real'}>
                  {s.modelled ? text.modelled : text.real}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <AggregatorFreshness meta={meta.data} lang={lang} />
      {principal && canSeeUnverified(principal) && (
        <VerificationQueues caller={callerKey(principal)} lang={lang} />
      )}

      <h2>{text.realVsModelledTitle}</h2>
      <h3>
        <span className="kind real">{text.real}</span>
      </h3>
      <ul>
        {text.realItems.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <h3>
        <span className="kind modelled">{text.modelled}</span>
      </h3>
      <ul>
        {text.modelledItems.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>

      <h2>{text.metricsTitle}</h2>
      <dl className="definitions">
        {METRIC_ORDER.map((key) => (
          <div key={key}>
            <dt>{text.metrics[key].term}</dt>
            <dd>{text.metrics[key].definition}</dd>
          </div>
        ))}
      </dl>

      <h2>{text.privacyTitle}</h2>
      {text.privacy.map((p) => (
        <p key={p}>{p}</p>
      ))}

      <h2>{text.attributionTitle}</h2>
      <ul>
        {text.attributions.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </article>
  );
}
