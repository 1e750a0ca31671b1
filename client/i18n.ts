import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'peta-kolaborasi.lang';

const resources = {
  id: {
    translation: {
      title: 'Peta Kolaborasi',
      subtitle: 'Kebutuhan dan bantuan KSBB Jakarta',
      language: 'Bahasa',
      level: 'Tingkat wilayah',
      metric: 'Ukuran',
      aidType: 'Jenis bantuan',
      allAidTypes: 'Semua jenis',
      kpi: {
        packages: 'Paket bantuan tersalurkan',
        households: 'Rumah tangga terjangkau',
        rws: 'RW menerima bantuan',
        coverage: 'Cakupan kebutuhan',
      },
      levels: { kota: 'Kota', kecamatan: 'Kecamatan', kelurahan: 'Kelurahan', rw: 'RW' },
      metrics: {
        coverage: 'Cakupan (terjangkau ÷ kebutuhan)',
        need: 'Kebutuhan (rumah tangga rentan)',
        packages: 'Paket bantuan',
        households_reached: 'Rumah tangga terjangkau',
        gap: 'Kesenjangan (kebutuhan − terjangkau)',
      },
      legend: 'Legenda',
      breadcrumbs: 'Jejak wilayah',
      city: 'DKI Jakarta',
      gaps: {
        title: 'Paling kurang terlayani',
        need: 'Kebutuhan',
        coverage: 'Cakupan',
        gap: 'Kesenjangan',
      },
      noAid: 'Belum terjangkau',
      loading: 'Memuat…',
      error: 'Data tidak dapat dimuat.',
      dataNote:
        'Data distribusi adalah sintetis, dikalibrasi ke angka resmi KSBB 24 April–27 Mei 2020.',
    },
  },
  en: {
    translation: {
      title: 'Peta Kolaborasi',
      subtitle: 'Need and aid in Jakarta’s KSBB',
      language: 'Language',
      level: 'Area level',
      metric: 'Measure',
      aidType: 'Aid type',
      allAidTypes: 'All types',
      kpi: {
        packages: 'Aid packages delivered',
        households: 'Households reached',
        rws: 'RWs that received aid',
        coverage: 'Need covered',
      },
      levels: { kota: 'City', kecamatan: 'District', kelurahan: 'Village', rw: 'RW' },
      metrics: {
        coverage: 'Coverage (reached ÷ need)',
        need: 'Need (vulnerable households)',
        packages: 'Aid packages',
        households_reached: 'Households reached',
        gap: 'Gap (need − reached)',
      },
      legend: 'Legend',
      breadcrumbs: 'Area trail',
      city: 'DKI Jakarta',
      gaps: { title: 'Most underserved', need: 'Need', coverage: 'Coverage', gap: 'Gap' },
      noAid: 'Not reached',
      loading: 'Loading…',
      error: 'The data could not be loaded.',
      dataNote:
        'Distribution data are synthetic, calibrated to the official KSBB figures of 24 April–27 May 2020.',
    },
  },
};

export function initialLanguage(stored: string | null = readStored()): Language {
  return stored === 'en' ? 'en' : 'id';
}

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function rememberLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // storage may be unavailable (private mode); the URL still carries the choice
  }
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'id',
  interpolation: { escapeValue: false },
});

export default i18n;
