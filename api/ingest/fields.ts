import { AGGREGATORS, AID_TYPES, INSTITUTION_TYPES, RECIPIENT_TYPES } from '../domain';

export type FieldRequirement = 'always' | 'household' | 'institution' | 'location' | 'optional';

export interface Field {
  name: (typeof FIELD_NAMES)[number];
  required: FieldRequirement;
  format: string;
  example: string;
  description: { id: string; en: string };
}

/** The upload columns (DESIGN section 8), in template order. */
export const FIELD_NAMES = [
  'external_id',
  'date',
  'aid_type',
  'quantity',
  'recipient_type',
  'kk',
  'head_initials',
  'institution_id',
  'rw_code',
  'lon',
  'lat',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** Limits of one batch and of its values. */
export const LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 100_000,
  maxListedErrors: 1_000,
  maxQuantity: 10_000,
  maxExternalIdLength: 64,
  /** The earliest date a record may carry (KSBB began in April 2020). */
  earliestDate: '2020-01-01',
} as const;

/** The data dictionary: served as JSON and shown on the upload page. */
export const FIELDS: Field[] = [
  {
    name: 'external_id',
    required: 'always',
    format: `1–${LIMITS.maxExternalIdLength} letters, digits or . _ : / -`,
    example: 'ACT-2020-05-01-0001',
    description: {
      id: 'Nomor catatan Anda sendiri, unik per organisasi. Mengirim ulang nomor yang sama dengan isi yang sama tidak membuat catatan baru.',
      en: 'Your own record number, unique within your organisation. Re-sending the same number with the same content creates no new record.',
    },
  },
  {
    name: 'date',
    required: 'always',
    format: 'YYYY-MM-DD',
    example: '2020-05-01',
    description: {
      id: `Tanggal penyaluran: tanggal yang nyata, tidak di masa depan, tidak sebelum ${LIMITS.earliestDate}.`,
      en: `Day of delivery: a real date, not in the future, not before ${LIMITS.earliestDate}.`,
    },
  },
  {
    name: 'aid_type',
    required: 'always',
    format: AID_TYPES.join(' | '),
    example: 'sembako',
    description: {
      id: 'Jenis bantuan: sembako, siap_saji (makanan siap saji), lebaran (paket Lebaran), thr (paket THR).',
      en: 'Aid type: sembako (staple food), siap_saji (ready-to-eat), lebaran (Eid package), thr (holiday allowance).',
    },
  },
  {
    name: 'quantity',
    required: 'always',
    format: `whole number 1–${LIMITS.maxQuantity.toLocaleString('en')}`,
    example: '1',
    description: {
      id: 'Jumlah paket yang diserahkan.',
      en: 'Number of packages handed over.',
    },
  },
  {
    name: 'recipient_type',
    required: 'always',
    format: RECIPIENT_TYPES.join(' | '),
    example: 'household',
    description: {
      id: 'Penerima: household (rumah tangga), orphanage, pesantren, nursing_home, disability_home (lembaga), community (komunitas terdampak).',
      en: 'Recipient: household, orphanage, pesantren, nursing_home, disability_home (institutions), community (affected community).',
    },
  },
  {
    name: 'kk',
    required: 'household',
    format: '16 digits: kecamatan code, issue date DDMMYY, serial',
    example: '3171011503150123',
    description: {
      id: 'Nomor Kartu Keluarga, hanya untuk rumah tangga. Disimpan hanya sebagai hash berkunci, tidak pernah ditampilkan.',
      en: 'Family card (KK) number, households only. Stored only as a keyed hash, never shown.',
    },
  },
  {
    name: 'head_initials',
    required: 'household',
    format: '1–4 letters',
    example: 'AS',
    description: {
      id: 'Inisial kepala keluarga, hanya untuk rumah tangga (disimpan sebagai hash).',
      en: 'Initials of the head of household, households only (stored as a hash).',
    },
  },
  {
    name: 'institution_id',
    required: 'institution',
    format: 'whole number (an institution of the platform)',
    example: '12',
    description: {
      id: `Nomor lembaga, wajib untuk ${INSTITUTION_TYPES.join(', ')} dan kosong untuk lainnya.`,
      en: `Institution number, required for ${INSTITUTION_TYPES.join(', ')} and empty otherwise.`,
    },
  },
  {
    name: 'rw_code',
    required: 'location',
    format: '31.71.01.1001.005',
    example: '31.71.01.1001.001',
    description: {
      id: 'Kode RW (Kemendagri + nomor RW). Lokasi diberikan sebagai rw_code atau lon+lat; bila keduanya, titik harus berada di RW itu.',
      en: 'RW code (Kemendagri code + RW number). Give the location as rw_code or lon+lat; with both, the point must lie in that RW.',
    },
  },
  {
    name: 'lon',
    required: 'location',
    format: 'decimal degrees, WGS 84',
    example: '106.8272',
    description: {
      id: 'Bujur titik penyaluran; titik ditempatkan ke RW dan kelurahannya.',
      en: 'Longitude of the delivery point; the point is assigned to its RW and kelurahan.',
    },
  },
  {
    name: 'lat',
    required: 'location',
    format: 'decimal degrees, WGS 84',
    example: '-6.1754',
    description: {
      id: 'Lintang titik penyaluran.',
      en: 'Latitude of the delivery point.',
    },
  },
];

/** Aggregator slugs, for messages. */
export const AGGREGATOR_LIST = AGGREGATORS.join(', ');

/** A CSV template: the header and two example rows (a household by RW, an institution by point). */
export function templateCsv(): string {
  return (
    [
      FIELD_NAMES.join(','),
      'ACT-2020-05-01-0001,2020-05-01,sembako,1,household,3171011503150123,AS,,31.71.01.1001.001,,',
      'ACT-2020-05-01-0002,2020-05-01,siap_saji,40,orphanage,,,1,,106.8272,-6.1754',
    ].join('\r\n') + '\r\n'
  );
}
