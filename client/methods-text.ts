/** The Data & methods page, in both languages; numbers are written the Indonesian way. */

export type MetricKey =
  | 'need'
  | 'packages'
  | 'households_reached'
  | 'coverage'
  | 'gap'
  | 'status'
  | 'packages_per_100_need'
  | 'covid_per_10k'
  | 'bivariate'
  | 'records_waiting'
  | 'multi_aggregator_share';

export interface MethodsText {
  title: string;
  back: string;
  intro: string[];
  sourcesTitle: string;
  sourcesCaption: string;
  columns: { what: string; source: string; licence: string; kind: string };
  real: string;
  modelled: string;
  realVsModelledTitle: string;
  realItems: string[];
  modelledItems: string[];
  metricsTitle: string;
  metrics: Record<MetricKey, { term: string; definition: string }>;
  privacyTitle: string;
  privacy: string[];
  attributionTitle: string;
  attributions: string[];
}

const METRIC_ORDER: MetricKey[] = [
  'need',
  'packages',
  'households_reached',
  'coverage',
  'gap',
  'status',
  'packages_per_100_need',
  'covid_per_10k',
  'bivariate',
  'records_waiting',
  'multi_aggregator_share',
];
export { METRIC_ORDER };

export const METHODS_TEXT: Record<'id' | 'en', MethodsText> = {
  id: {
    title: 'Data & metode',
    back: 'Kembali ke peta',
    intro: [
      'Peta Kolaborasi menampilkan kebutuhan dan bantuan sosial Kolaborasi Sosial Berskala Besar (KSBB) Jakarta, 24 April – 27 Mei 2020, dari tingkat kota sampai RW.',
      'Perencana melihat RW yang belum atau kurang terlayani, donatur memilih wilayah untuk dibantu melalui agregator, dan masyarakat mengikuti totalnya. Angka publik hanya menghitung catatan distribusi yang sudah diverifikasi.',
    ],
    sourcesTitle: 'Sumber data',
    sourcesCaption: 'Sumber yang dipakai peta ini dan lisensinya',
    columns: { what: 'Data', source: 'Sumber', licence: 'Lisensi', kind: 'Jenis' },
    real: 'nyata',
    modelled: 'dimodelkan',
    realVsModelledTitle: 'Apa yang nyata dan apa yang dimodelkan',
    realItems: [
      'Batas kota, kecamatan dan kelurahan, batas RW (2014–2015) dan daftar RT 2012.',
      'Penduduk, kepala keluarga, pendidikan dan pekerjaan per kelurahan (Dukcapil DKI Jakarta, Juni 2019): 11.011.862 penduduk dan 3.543.305 KK.',
      'Kasus COVID-19 harian per kelurahan, 1 April – 31 Mei 2020 (rekap resmi Pemprov DKI Jakarta).',
      'Angka resmi KSBB: 561.118 paket (sembako 375.745; siap saji 154.411; paket Lebaran 28.618; paket THR 2.344) di 2.000 RW, dan nama keenam agregator.',
    ],
    modelledItems: [
      'Kebutuhan (rumah tangga rentan): indeks pendidikan rendah dan pekerjaan rentan per kelurahan, diskalakan ke 1,2 juta keluarga miskin dan rentan yang terdaftar (Dinas Sosial DKI Jakarta, April 2020), lalu dibagi ke RW menurut jumlah RT, dengan bobot lebih untuk RW rawan banjir.',
      'Catatan distribusi, rumah tangga penerima dan lembaga adalah data sintetis dengan seed tetap, dikalibrasi agar tepat menghasilkan angka resmi KSBB. Lembaga (panti, pesantren) bersifat ilustratif.',
      'Wilayah kerja agregator dan tanggal mulai mereka dimodelkan.',
      'RW Kepulauan Seribu dimodelkan dengan membagi kelurahan menjadi bagian berluas sama.',
    ],
    metricsTitle: 'Definisi ukuran',
    metrics: {
      need: {
        term: 'Kebutuhan',
        definition: 'Perkiraan jumlah rumah tangga rentan di wilayah itu (model di atas).',
      },
      packages: {
        term: 'Paket bantuan',
        definition:
          'Jumlah paket dari catatan terverifikasi, dihitung di tempat paket diserahkan; dapat dipilah menurut jenis bantuan.',
      },
      households_reached: {
        term: 'Rumah tangga terjangkau',
        definition:
          'Jumlah rumah tangga (KK) berbeda yang menerima sedikitnya satu paket pada rentang tanggal dan filter yang dipilih. Setiap rumah tangga dihitung sekali, di wilayah RW tempat tinggalnya, sehingga angka kota bukan jumlah rasio wilayah di bawahnya.',
      },
      coverage: {
        term: 'Cakupan',
        definition: 'Rumah tangga terjangkau ÷ kebutuhan.',
      },
      gap: {
        term: 'Kesenjangan',
        definition: 'Kebutuhan − rumah tangga terjangkau, paling kecil 0.',
      },
      status: {
        term: 'Belum terjangkau / kurang terlayani',
        definition:
          'Belum terjangkau: ada kebutuhan tetapi tidak satu rumah tangga pun terjangkau (garis merah tua di peta). Kurang terlayani: cakupan di bawah ambang (bawaan 50 %).',
      },
      packages_per_100_need: {
        term: 'Paket per 100 rumah tangga rentan',
        definition: 'Paket bantuan × 100 ÷ kebutuhan.',
      },
      covid_per_10k: {
        term: 'Kasus COVID-19 per 10.000 penduduk',
        definition:
          'Kasus positif kumulatif kelurahan pada hari laporan terakhir sampai tanggal akhir rentang, × 10.000 ÷ penduduk. RW memakai angka kelurahannya.',
      },
      bivariate: {
        term: 'Kebutuhan × cakupan',
        definition:
          'Peta dua variabel dengan 9 kelas: kebutuhan dibagi menjadi sepertiga wilayah yang tampil (rendah, sedang, tinggi); cakupan di bawah 25 %, 25–50 %, dan 50 % ke atas. Merah muda pekat = kebutuhan tinggi dengan cakupan rendah.',
      },
      records_waiting: {
        term: 'Catatan menunggu verifikasi (khusus perencana)',
        definition:
          'Jumlah catatan distribusi yang diajukan agregator atau baru diverifikasi kelurahan dan belum diverifikasi provinsi, dihitung di tempat paket diserahkan menurut tanggal distribusi. Tidak masuk angka publik.',
      },
      multi_aggregator_share: {
        term: 'Rumah tangga dilayani >1 agregator (khusus perencana)',
        definition:
          'Bagian rumah tangga terjangkau yang menerima bantuan dari lebih dari satu agregator pada rentang tanggal dan jenis bantuan yang dipilih, dihitung di wilayah tempat tinggalnya. Termasuk catatan yang belum diverifikasi; catatan yang ditolak atau dikembalikan tidak dihitung.',
      },
    },
    privacyTitle: 'Privasi',
    privacy: [
      'Nomor KK tidak pernah disimpan dalam bentuk asli: hanya hash HMAC-SHA256 berkunci. Peta hanya menampilkan angka agregat per wilayah.',
    ],
    attributionTitle: 'Atribusi dan lisensi',
    attributions: [
      'Geometri RW © kontributor OpenStreetMap, ODbL (melalui kartoza/jakarta-flood-maps).',
      'Batas kota, kecamatan, kelurahan © 2024 Cahya DSN, MIT (cahyadsn/wilayah_boundaries).',
      'Data kependudukan: Dukcapil DKI Jakarta. Data COVID-19: Pemprov DKI Jakarta (melalui emsifa/jakarta-covid-19-heatmap).',
      'Kode Peta Kolaborasi: lisensi MIT.',
    ],
  },
  en: {
    title: 'Data & methods',
    back: 'Back to the map',
    intro: [
      "Peta Kolaborasi shows need and social aid in Jakarta's Large-Scale Social Collaboration (KSBB), 24 April – 27 May 2020, from city down to RW (neighbourhood) level.",
      'Planners see RWs that are not reached or underserved, donors choose an area to help through an aggregator, and the public follows the totals. Public figures count verified distribution records only.',
    ],
    sourcesTitle: 'Data sources',
    sourcesCaption: 'Sources this map uses and their licences',
    columns: { what: 'Data', source: 'Source', licence: 'Licence', kind: 'Kind' },
    real: 'real',
    modelled: 'modelled',
    realVsModelledTitle: 'What is real and what is modelled',
    realItems: [
      'City, district and village boundaries, RW boundaries (2014–2015) and the 2012 RT list.',
      'Residents, households, education and occupation per village (Dukcapil DKI Jakarta, June 2019): 11.011.862 residents and 3.543.305 households.',
      'Daily COVID-19 cases per village, 1 April – 31 May 2020 (official Jakarta recap).',
      'The official KSBB figures: 561.118 packages (staple food 375.745; ready meals 154.411; Eid packages 28.618; holiday allowance packages 2.344) in 2.000 RWs, and the names of the six aggregators.',
    ],
    modelledItems: [
      'Need (vulnerable households): an index of low education and precarious work per village, scaled to the 1,2 million poor and near-poor families registered (Jakarta Social Affairs Agency, April 2020), then split over RWs by their RT counts, weighted up for flood-prone RWs.',
      'Distribution records, recipient households and institutions are synthetic, with a fixed seed, calibrated to reproduce the official KSBB figures exactly. Institutions (homes, pesantren) are illustrative.',
      "Aggregators' home territories and start dates are modelled.",
      'Kepulauan Seribu RWs are modelled by splitting each village into parts of equal area.',
    ],
    metricsTitle: 'Metric definitions',
    metrics: {
      need: {
        term: 'Need',
        definition: 'Estimated number of vulnerable households in the area (model above).',
      },
      packages: {
        term: 'Aid packages',
        definition:
          'Packages in verified records, counted where they were delivered; can be split by aid type.',
      },
      households_reached: {
        term: 'Households reached',
        definition:
          'Distinct households (family cards) that received at least one package in the chosen dates and filters. Each household counts once, in the area of its home RW, so a city figure is never a sum of its areas’ ratios.',
      },
      coverage: { term: 'Coverage', definition: 'Households reached ÷ need.' },
      gap: { term: 'Gap', definition: 'Need − households reached, at least 0.' },
      status: {
        term: 'Not reached / underserved',
        definition:
          'Not reached: there is need but no household was reached (dark red outline on the map). Underserved: coverage below the threshold (50 % by default).',
      },
      packages_per_100_need: {
        term: 'Packages per 100 vulnerable households',
        definition: 'Aid packages × 100 ÷ need.',
      },
      covid_per_10k: {
        term: 'COVID-19 cases per 10.000 residents',
        definition:
          "The village's cumulative positive cases on the last reported day up to the end of the range, × 10.000 ÷ residents. RWs show their village's rate.",
      },
      bivariate: {
        term: 'Need × coverage',
        definition:
          'A two-variable map with 9 classes: need in thirds of the areas shown (low, middle, high); coverage below 25 %, 25–50 %, and 50 % or more. Deep pink = high need with low coverage.',
      },
      records_waiting: {
        term: 'Records waiting for verification (planners only)',
        definition:
          'Distribution records an aggregator submitted, or the kelurahan verified, that the province has not verified yet, counted where the packages were delivered by distribution date. Not part of the public figures.',
      },
      multi_aggregator_share: {
        term: 'Households served by >1 aggregator (planners only)',
        definition:
          'The share of households reached that received aid from more than one aggregator in the chosen dates and aid types, counted in their home area. Records not verified yet count; rejected and returned records do not.',
      },
    },
    privacyTitle: 'Privacy',
    privacy: [
      'Family-card numbers are never stored as such: only keyed HMAC-SHA256 hashes. The map shows aggregate figures per area only.',
    ],
    attributionTitle: 'Attribution and licences',
    attributions: [
      'RW geometry © OpenStreetMap contributors, ODbL (via kartoza/jakarta-flood-maps).',
      'City, district and village boundaries © 2024 Cahya DSN, MIT (cahyadsn/wilayah_boundaries).',
      'Population data: Dukcapil DKI Jakarta. COVID-19 data: Jakarta provincial government (via emsifa/jakarta-covid-19-heatmap).',
      'Peta Kolaborasi code: MIT licence.',
    ],
  },
};
