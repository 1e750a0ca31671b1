import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HttpError, type Principal } from '../api';
import { describePrincipal, type Session } from '../use-session';
import { seesVerifyPage } from '../verify-rules';

/** The page on which the previous session ended while in use (a request answered 401). */
export type ExpiredOn = 'upload' | 'verify';

/** One field: the access token an aggregator, verifier or planner was given. */
export function SignInPage({
  session,
  expired,
  onSignedIn,
  onGo,
}: {
  session: Session;
  /** Where the previous session ended while in use; null when it did not. */
  expired: ExpiredOn | null;
  onSignedIn: (principal: Principal) => void;
  onGo: (page: 'map' | 'upload' | 'verify') => void;
}) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const principal = session.principal;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) {
      setError(t('signIn.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const p = await session.signIn(value);
      setToken('');
      onSignedIn(p);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 0;
      setError(
        status === 401 || status === 400
          ? t('signIn.invalid')
          : status === 429
            ? t('signIn.tooMany')
            : t('signIn.failed', { status: status || '—' }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="doc-page signin-page" data-testid="signin-page">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {principal ? (
        <div className="notice" data-testid="signed-in">
          <p>{t('signIn.already', { who: describePrincipal(principal, t) })}</p>
          <p className="actions">
            {principal.role === 'aggregator' && (
              <button
                type="button"
                className="primary"
                data-testid="signed-in-upload"
                onClick={() => onGo('upload')}
              >
                {t('signIn.toUpload')}
              </button>
            )}
            {seesVerifyPage(principal) && (
              <button
                type="button"
                className="primary"
                data-testid="signed-in-verify"
                onClick={() => onGo('verify')}
              >
                {t('signIn.toVerify')}
              </button>
            )}
            <button type="button" onClick={() => onGo('map')}>
              {t('signIn.toMap')}
            </button>
          </p>
        </div>
      ) : (
        <form className="signin-form" onSubmit={(e) => void submit(e)} noValidate>
          {expired && (
            <p className="notice warn" role="status" data-testid="session-expired">
              {t(`signIn.expired.${expired}`)}
            </p>
          )}
          <label htmlFor="token">{t('signIn.token')}</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby="token-hint"
            aria-invalid={error ? true : undefined}
            data-testid="token"
          />
          <p id="token-hint" className="hint">
            {t('signIn.tokenHint')}
          </p>
          {error && (
            <p className="form-error" role="alert" data-testid="signin-error">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
      )}
    </article>
  );
}
