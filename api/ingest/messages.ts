import { AID_TYPES, RECIPIENT_TYPES } from '../domain';
import { LIMITS } from './fields';

export type Language = 'id' | 'en';

/** Row error codes with their messages; {x} placeholders are filled from the error's params. */
const MESSAGES = {
  required: { id: 'wajib diisi', en: 'is required' },
  not_allowed: {
    id: 'harus kosong untuk penerima {recipient}',
    en: 'must be empty for recipient {recipient}',
  },
  unknown_column: { id: 'kolom tidak dikenal', en: 'unknown column' },
  missing_column: { id: 'kolom wajib tidak ada', en: 'required column is missing' },
  duplicate_column: { id: 'kolom muncul dua kali', en: 'column appears twice' },
  invalid_external_id: {
    id: `1–${LIMITS.maxExternalIdLength} huruf, angka atau . _ : / -`,
    en: `expected 1–${LIMITS.maxExternalIdLength} letters, digits or . _ : / -`,
  },
  duplicate_in_batch: {
    id: 'external_id sudah dipakai di baris {first} berkas ini',
    en: 'external_id already used on row {first} of this file',
  },
  external_id_changed: {
    id: 'external_id sudah diterima (batch {batch}, status {status}) dengan isi lain; hanya catatan yang dikembalikan untuk koreksi (returned) boleh dikirim ulang dengan perubahan',
    en: 'external_id was received before (batch {batch}, status {status}) with other content; only a record returned for correction may be sent again with changes',
  },
  invalid_date: { id: 'bukan tanggal YYYY-MM-DD yang nyata', en: 'not a real date as YYYY-MM-DD' },
  future_date: { id: 'tanggal di masa depan', en: 'date is in the future' },
  date_too_early: {
    id: `tanggal sebelum ${LIMITS.earliestDate}`,
    en: `date is before ${LIMITS.earliestDate}`,
  },
  unknown_aid_type: {
    id: `jenis bantuan tidak dikenal; pilihan: ${AID_TYPES.join(', ')}`,
    en: `unknown aid type; expected one of ${AID_TYPES.join(', ')}`,
  },
  unknown_recipient_type: {
    id: `jenis penerima tidak dikenal; pilihan: ${RECIPIENT_TYPES.join(', ')}`,
    en: `unknown recipient type; expected one of ${RECIPIENT_TYPES.join(', ')}`,
  },
  invalid_quantity: {
    id: `harus bilangan bulat 1–${LIMITS.maxQuantity.toLocaleString('id-ID')}`,
    en: `must be a whole number from 1 to ${LIMITS.maxQuantity.toLocaleString('en')}`,
  },
  kk_format: { id: 'nomor KK harus 16 angka', en: 'a KK number has 16 digits' },
  kk_region: {
    id: '6 angka pertama bukan kode kecamatan di DKI Jakarta',
    en: 'the first 6 digits are not a Jakarta kecamatan code',
  },
  kk_date: {
    id: 'angka 7–12 bukan tanggal terbit DDMMYY yang nyata',
    en: 'digits 7–12 are not a real issue date DDMMYY',
  },
  kk_serial: {
    id: 'nomor urut (4 angka terakhir) tidak boleh 0000',
    en: 'the serial (last 4 digits) cannot be 0000',
  },
  invalid_initials: { id: 'inisial harus 1–4 huruf', en: 'initials are 1–4 letters' },
  invalid_institution_id: { id: 'harus bilangan bulat', en: 'must be a whole number' },
  unknown_institution: { id: 'lembaga tidak dikenal', en: 'no institution has this number' },
  institution_type_mismatch: {
    id: 'lembaga ini bertipe {type}, bukan {recipient}',
    en: 'this institution is a {type}, not a {recipient}',
  },
  invalid_rw_code: {
    id: 'kode RW berbentuk 31.71.01.1001.005',
    en: 'an RW code looks like 31.71.01.1001.005',
  },
  unknown_rw: { id: 'tidak ada RW dengan kode ini', en: 'no RW has this code' },
  missing_location: {
    id: 'lokasi wajib: rw_code atau lon dan lat',
    en: 'a location is required: rw_code or lon and lat',
  },
  incomplete_point: { id: 'lon dan lat harus diisi bersama', en: 'lon and lat go together' },
  invalid_coordinate: { id: 'bukan angka derajat desimal', en: 'not a decimal degree' },
  outside_jakarta: { id: 'titik berada di luar DKI Jakarta', en: 'the point lies outside Jakarta' },
  location_mismatch: {
    id: 'titik tidak berada di RW {rw}',
    en: 'the point does not lie in RW {rw}',
  },
  invalid_json_row: { id: 'baris harus objek JSON', en: 'each item must be a JSON object' },
  invalid_csv: {
    id: 'berkas tidak terbaca sebagai CSV ({problem}) mulai baris {line}; periksa tanda kutip',
    en: 'the file is not readable as CSV ({problem}) from line {line}; check the quotes',
  },
  invalid_value_type: { id: 'harus teks atau angka', en: 'must be text or a number' },
} as const satisfies Record<string, Record<Language, string>>;

export type RowErrorCode = keyof typeof MESSAGES;

export function rowMessage(
  code: RowErrorCode,
  lang: Language,
  params: Record<string, string | number> = {},
): string {
  return MESSAGES[code][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** The language of messages: `?lang=` first, then Accept-Language, Indonesian by default. */
export function languageOf(
  query: string | undefined,
  acceptLanguage: string | undefined,
): Language {
  if (query === 'en' || query === 'id') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}
