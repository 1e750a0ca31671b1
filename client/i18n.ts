import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'peta-kolaborasi.lang';

export const resources = {
  id: {
    translation: {
      title: 'Peta Kolaborasi',
      subtitle: 'Kebutuhan dan bantuan KSBB Jakarta',
      language: 'Bahasa',
      level: 'Tingkat wilayah',
      metric: 'Ukuran',
      aidType: 'Jenis bantuan',
      aggregator: 'Agregator',
      recipient: 'Penerima',
      addFilter: '+ tambah',
      filters: 'Filter dan waktu',
      activeFilters: 'Filter aktif',
      removeFilter: 'Hapus filter {{name}}',
      clearFilters: 'Hapus semua',
      kpi: {
        packages: 'Paket bantuan tersalurkan',
        households: 'Rumah tangga terjangkau',
        rws: 'RW menerima bantuan',
        coverage: 'Cakupan kebutuhan',
      },
      levels: { kota: 'Kota', kecamatan: 'Kecamatan', kelurahan: 'Kelurahan', rw: 'RW' },
      metrics: {
        coverage: 'Cakupan (terjangkau ÷ kebutuhan)',
        bivariate: 'Kebutuhan × cakupan',
        need: 'Kebutuhan (rumah tangga rentan)',
        packages: 'Paket bantuan',
        households_reached: 'Rumah tangga terjangkau',
        gap: 'Kesenjangan (kebutuhan − terjangkau)',
        packages_per_100_need: 'Paket per 100 rumah tangga rentan',
        covid_per_10k: 'Kasus COVID-19 per 10.000 penduduk',
      },
      time: {
        title: 'Waktu',
        from: 'Dari',
        to: 'Sampai',
        day: 'Hari',
        play: 'Putar hari demi hari',
        pause: 'Jeda',
        mode: 'Mode waktu',
        cumulative: 'Kumulatif',
        window: 'Jendela 7 hari',
        range: '{{from}} – {{to}}',
      },
      legend: 'Legenda',
      bivariate: { need: 'Kebutuhan →', coverage: 'Cakupan →', thirds: 'sepertiga wilayah' },
      uncoveredOutline: 'Garis merah tua: RW/wilayah belum terjangkau',
      institutions: {
        title: 'Lembaga',
        orphanage: 'Panti asuhan',
        pesantren: 'Pesantren',
        nursing_home: 'Panti jompo',
        disability_home: 'Panti disabilitas',
        illustrative: 'ilustratif',
      },
      breadcrumbs: 'Jejak wilayah',
      city: 'DKI Jakarta',
      gaps: {
        title: 'Paling kurang terlayani',
        need: 'Kebutuhan',
        coverage: 'Cakupan',
        gap: 'Kesenjangan',
        total: '{{n}} wilayah',
        none: 'Tidak ada wilayah kurang terlayani untuk filter ini.',
      },
      chart: { title: 'Paket per hari menurut jenis bantuan', areaTitle: 'Tren di wilayah ini' },
      area: {
        close: 'Tutup',
        open: 'Lihat wilayah di dalamnya',
        clickAgain: 'Klik lagi untuk masuk',
        need: 'Kebutuhan',
        reached: 'Rumah tangga terjangkau',
        coverage: 'Cakupan',
        gap: 'Kesenjangan',
        packages: 'Paket',
        perNeed: 'Paket per 100 rumah tangga rentan',
        covid: 'COVID-19 per 10.000 penduduk',
        covidAsOf: 'per {{date}}',
        byType: 'Bantuan menurut jenis',
        byAggregator: 'Agregator aktif di sini',
        noAggregator: 'Belum ada agregator yang menyalurkan di sini.',
        institutions: 'Lembaga di wilayah ini',
        noInstitutions: 'Tidak ada lembaga tercatat.',
        households: 'rumah tangga',
        population: 'penduduk',
        modelled: 'Batas RW dimodelkan',
        status: {
          uncovered: 'Belum terjangkau',
          underserved: 'Kurang terlayani',
          served: 'Terlayani',
        },
      },
      pledge: {
        action: 'Bantu wilayah ini',
        title: 'Bantu {{name}}',
        body: 'Formulir janji bantuan akan hadir di versi berikutnya. Sementara itu, donasi disalurkan melalui agregator; agregator berikut sudah aktif di wilayah ini:',
        none: 'Belum ada agregator aktif di wilayah ini. Agregator terdekat dapat dihubungi melalui Dinas Sosial DKI Jakarta.',
        gap: 'Kesenjangan saat ini: {{gap}} rumah tangga rentan belum terjangkau.',
        close: 'Tutup',
      },
      export: { title: 'Unduh tampilan ini', csv: 'CSV', geojson: 'GeoJSON' },
      methods: 'Data & metode',
      backToMap: 'Peta',
      panel: 'Panel',
      showPanel: 'Tampilkan panel',
      hidePanel: 'Sembunyikan panel',
      noAid: 'Belum terjangkau',
      noData: 'Tidak ada data',
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
      aggregator: 'Aggregator',
      recipient: 'Recipient',
      addFilter: '+ add',
      filters: 'Filters and time',
      activeFilters: 'Active filters',
      removeFilter: 'Remove filter {{name}}',
      clearFilters: 'Clear all',
      kpi: {
        packages: 'Aid packages delivered',
        households: 'Households reached',
        rws: 'RWs that received aid',
        coverage: 'Need covered',
      },
      levels: { kota: 'City', kecamatan: 'District', kelurahan: 'Village', rw: 'RW' },
      metrics: {
        coverage: 'Coverage (reached ÷ need)',
        bivariate: 'Need × coverage',
        need: 'Need (vulnerable households)',
        packages: 'Aid packages',
        households_reached: 'Households reached',
        gap: 'Gap (need − reached)',
        packages_per_100_need: 'Packages per 100 vulnerable households',
        covid_per_10k: 'COVID-19 cases per 10,000 residents',
      },
      time: {
        title: 'Time',
        from: 'From',
        to: 'To',
        day: 'Day',
        play: 'Play day by day',
        pause: 'Pause',
        mode: 'Time mode',
        cumulative: 'Cumulative',
        window: '7-day window',
        range: '{{from}} – {{to}}',
      },
      legend: 'Legend',
      bivariate: { need: 'Need →', coverage: 'Coverage →', thirds: 'thirds of the areas' },
      uncoveredOutline: 'Dark red outline: area not reached',
      institutions: {
        title: 'Institutions',
        orphanage: 'Orphanage',
        pesantren: 'Islamic boarding school',
        nursing_home: 'Nursing home',
        disability_home: 'Disability home',
        illustrative: 'illustrative',
      },
      breadcrumbs: 'Area trail',
      city: 'DKI Jakarta',
      gaps: {
        title: 'Most underserved',
        need: 'Need',
        coverage: 'Coverage',
        gap: 'Gap',
        total_one: '{{n}} area',
        total_other: '{{n}} areas',
        none: 'No underserved areas for these filters.',
      },
      chart: { title: 'Packages per day by aid type', areaTitle: 'Trend in this area' },
      area: {
        close: 'Close',
        open: 'Show the areas inside',
        clickAgain: 'Click again to open',
        need: 'Need',
        reached: 'Households reached',
        coverage: 'Coverage',
        gap: 'Gap',
        packages: 'Packages',
        perNeed: 'Packages per 100 vulnerable households',
        covid: 'COVID-19 per 10,000 residents',
        covidAsOf: 'as of {{date}}',
        byType: 'Aid by type',
        byAggregator: 'Aggregators active here',
        noAggregator: 'No aggregator has delivered here yet.',
        institutions: 'Institutions in this area',
        noInstitutions: 'No institutions recorded.',
        households: 'households',
        population: 'residents',
        modelled: 'Modelled RW boundaries',
        status: { uncovered: 'Not reached', underserved: 'Underserved', served: 'Served' },
      },
      pledge: {
        action: 'Help this area',
        title: 'Help {{name}}',
        body: 'A pledge form comes in a later version. Until then, donations go through an aggregator; these aggregators already work in this area:',
        none: 'No aggregator works in this area yet. Jakarta’s Social Affairs Agency (Dinas Sosial) can connect donors with one nearby.',
        gap: 'Current gap: {{gap}} vulnerable households not reached.',
        close: 'Close',
      },
      export: { title: 'Download this view', csv: 'CSV', geojson: 'GeoJSON' },
      methods: 'Data & methods',
      backToMap: 'Map',
      panel: 'Panel',
      showPanel: 'Show panel',
      hidePanel: 'Hide panel',
      noAid: 'Not reached',
      noData: 'No data',
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
