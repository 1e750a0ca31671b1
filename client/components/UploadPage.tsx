import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n';
import { describePrincipal, type Session } from '../use-session';
import { BatchHistory } from './BatchHistory';
import { UploadFields } from './UploadFields';
import { UploadForm } from './UploadForm';

/** Aggregators report what they distributed: template, file upload with checks, history. */
export function UploadPage({
  session,
  lang,
  onSignIn,
  onExpired,
}: {
  session: Session;
  lang: Language;
  onSignIn: () => void;
  onExpired: () => void;
}) {
  const { t } = useTranslation();
  const p = session.principal;
  return (
    <article className="doc-page upload-page" data-testid="upload-page">
      <h1>{t('upload.title')}</h1>
      {p === undefined ? (
        <p className="muted">{t('loading')}</p>
      ) : p === null ? (
        <p className="notice" data-testid="upload-signed-out">
          {t('upload.signedOut')}{' '}
          <a
            href="?page=signin"
            onClick={(e) => {
              e.preventDefault();
              onSignIn();
            }}
          >
            {t('nav.signIn')}
          </a>
        </p>
      ) : p.role !== 'aggregator' ? (
        <p className="notice" data-testid="upload-not-aggregator">
          {t('upload.notAggregator', { who: describePrincipal(p, t) })}
        </p>
      ) : (
        <>
          <p className="eyebrow-org" data-testid="upload-org">
            {t('upload.as', { org: p.org_name ?? p.label })}
          </p>
          <p className="intro">{t('upload.intro')}</p>
          <div className="upload-stack">
            <UploadForm lang={lang} onExpired={onExpired} />
            <UploadFields lang={lang} />
            <BatchHistory lang={lang} />
          </div>
        </>
      )}
    </article>
  );
}
