import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dashboard } from './components/Dashboard';
import { rememberLanguage, type Language } from './i18n';
import { serializeViewState, type PageKey } from './url-state';
import type { ExpiredOn } from './components/SignInPage';
import { describePrincipal, useSession } from './use-session';
import { useViewState } from './use-view-state';
import { isVerifier, seesVerifyPage } from './verify-rules';

const DataMethodsPage = lazy(() =>
  import('./components/DataMethodsPage').then((m) => ({ default: m.DataMethodsPage })),
);
const SignInPage = lazy(() =>
  import('./components/SignInPage').then((m) => ({ default: m.SignInPage })),
);
const UploadPage = lazy(() =>
  import('./components/UploadPage').then((m) => ({ default: m.UploadPage })),
);
const VerifyPage = lazy(() =>
  import('./components/VerifyPage').then((m) => ({ default: m.VerifyPage })),
);

export function App() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useViewState();
  const lang = (view.lang ?? i18n.language) as Language;
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [i18n, lang]);
  const switchLanguage = (next: Language) => {
    rememberLanguage(next);
    setView({ lang: next });
  };
  const session = useSession();
  const principal = session.principal;
  const isAggregator = principal?.role === 'aggregator';
  // The session ended while in use on the upload or the verify page: the sign-in page says so.
  const [expired, setExpired] = useState<ExpiredOn | null>(null);
  const go = (page: PageKey, replace = false) => setView({ page }, { replace });

  const link = (page: PageKey, label: string, testId: string) => (
    <a
      href={serializeViewState({ ...view, page })}
      aria-current={view.page === page ? 'page' : undefined}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault();
        go(page);
      }}
    >
      {label}
    </a>
  );

  const header = (
    <header className="bar">
      <div>
        <h1>{t('title')}</h1>
        <p className="subtitle">{t('subtitle')}</p>
      </div>
      <nav className="bar-links" aria-label={t('nav.label')}>
        {link('map', t('nav.map'), 'nav-map')}
        {link('methods', t('nav.methods'), 'nav-methods')}
        {isAggregator && link('upload', t('nav.upload'), 'nav-upload')}
        {seesVerifyPage(principal) && link('verify', t('nav.verify'), 'nav-verify')}
        {principal ? (
          <span className="who">
            <span
              className="who-name"
              title={t('nav.signedInAs', { who: describePrincipal(principal, t) })}
              data-testid="who"
            >
              {principal.org_name ?? t(`roles.${principal.role}`)}
            </span>
            {principal.org_name && <span className="who-role">{t(`roles.${principal.role}`)}</span>}
            <button
              type="button"
              className="bar-button"
              data-testid="sign-out"
              onClick={() => void session.signOut().catch(() => undefined)}
            >
              {t('nav.signOut')}
            </button>
          </span>
        ) : (
          link('signin', t('nav.signIn'), 'nav-signin')
        )}
        <label className="lang">
          <span className="sr-only">{t('language')}</span>
          <select
            data-testid="language"
            value={lang}
            onChange={(e) => switchLanguage(e.target.value as Language)}
          >
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </select>
        </label>
      </nav>
    </header>
  );

  let page: ReactNode = null;
  if (view.page === 'methods')
    page = <DataMethodsPage lang={lang} principal={principal} onClose={() => go('map')} />;
  else if (view.page === 'signin')
    page = (
      <SignInPage
        session={session}
        expired={expired}
        onSignedIn={(p) => {
          setExpired(null);
          go(p.role === 'aggregator' ? 'upload' : isVerifier(p) ? 'verify' : 'map', true);
        }}
        onGo={(next) => go(next)}
      />
    );
  else if (view.page === 'upload')
    page = (
      <UploadPage
        session={session}
        lang={lang}
        onSignIn={() => go('signin')}
        onExpired={() => {
          session.expire();
          setExpired('upload');
          go('signin');
        }}
      />
    );
  else if (view.page === 'verify')
    page = (
      <VerifyPage
        session={session}
        lang={lang}
        onSignIn={() => go('signin')}
        onUpload={() => go('upload')}
        onExpired={() => {
          session.expire();
          setExpired('verify');
          go('signin');
        }}
      />
    );

  return (
    <div className={page ? `app doc ${view.page}` : 'app'}>
      {header}
      {page ? (
        <Suspense fallback={<p className="muted">{t('loading')}</p>}>
          <main className="doc-main">{page}</main>
        </Suspense>
      ) : (
        <Dashboard
          view={view}
          setView={setView}
          lang={lang}
          principal={session.known ? (principal ?? null) : undefined}
        />
      )}
    </div>
  );
}
