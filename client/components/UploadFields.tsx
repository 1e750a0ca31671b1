import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TEMPLATE_URL, uploadFieldsOptions } from '../api';
import type { Language } from '../i18n';
import { downloadCsv } from '../upload-file';
import { usePhone } from '../use-phone';

/** The CSV template and the data dictionary of the upload format (also as CSV). */
export function UploadFields({ lang }: { lang: Language }) {
  const { t } = useTranslation();
  const fields = useQuery(uploadFieldsOptions());
  // Open beside the form on a wide screen; on a phone it would push the form out of sight.
  const phone = usePhone();
  const [open] = useState(!phone);
  const list = fields.data?.fields ?? [];
  const download = () =>
    downloadCsv(`kamus-data-distribusi-${lang}.csv`, [
      ['name', 'required', 'format', 'example', 'description'].map((k) => t(`upload.field.${k}`)),
      ...list.map((f) => [
        f.name,
        t(`upload.required.${f.required}`),
        f.format,
        f.example,
        f.description[lang],
      ]),
    ]);

  return (
    <section className="card" aria-labelledby="template-title">
      <h2 id="template-title">{t('upload.templateTitle')}</h2>
      <p className="actions">
        <a className="button primary" href={TEMPLATE_URL} download data-testid="template">
          {t('upload.template')}
        </a>
        <button type="button" onClick={download} disabled={!list.length} data-testid="fields-csv">
          {t('upload.dictionaryCsv')}
        </button>
      </p>
      <details className="dictionary" open={open}>
        <summary>{t('upload.dictionary')}</summary>
        <p className="muted small">{t('upload.dictionaryIntro')}</p>
        {fields.isError ? (
          <p className="form-error">{t('error')}</p>
        ) : !fields.data ? (
          <p className="muted">{t('loading')}</p>
        ) : (
          <table className="fields" data-testid="fields">
            <thead>
              <tr>
                <th scope="col">{t('upload.field.name')}</th>
                <th scope="col">{t('upload.field.required')}</th>
                <th scope="col">{t('upload.field.format')}</th>
                <th scope="col">{t('upload.field.example')}</th>
                <th scope="col">{t('upload.field.description')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((f) => (
                <tr key={f.name}>
                  <th scope="row">
                    <code>{f.name}</code>
                  </th>
                  <td>
                    <span className={`req req-${f.required}`}>
                      {t(`upload.required.${f.required}`)}
                    </span>
                  </td>
                  <td>{f.format}</td>
                  <td>
                    <code>{f.example}</code>
                  </td>
                  <td>{f.description[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}
