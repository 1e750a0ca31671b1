import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Dashboard } from './components/Dashboard';
import { rememberLanguage, type Language } from './i18n';
import { useViewState } from './use-view-state';

const DataMethodsPage = lazy(() =>
  import('./components/DataMethodsPage').then((m) => ({ default: m.DataMethodsPage })),
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

  const header = (
    <header className="bar">
      <div>
        <h1>{t('title')}</h1>
        <p className="subtitle">{t('subtitle')}</p>
      </div>
      <nav className="bar-links">
        <a
          href={`?page=${view.page === 'methods' ? 'map' : 'methods'}`}
          onClick={(e) => {
            e.preventDefault();
            setView({ page: view.page === 'methods' ? 'map' : 'methods' });
          }}
        >
          {view.page === 'methods' ? t('backToMap') : t('methods')}
        </a>
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

  return (
    <div className={view.page === 'methods' ? 'app methods' : 'app'}>
      {header}
      {view.page === 'methods' ? (
        <Suspense fallback={<p className="muted">{t('loading')}</p>}>
          <main className="methods-main">
            <DataMethodsPage lang={lang} onClose={() => setView({ page: 'map' })} />
          </main>
        </Suspense>
      ) : (
        <Dashboard view={view} setView={setView} lang={lang} />
      )}
    </div>
  );
}
