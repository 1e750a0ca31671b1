import { ensureDefaultDatabase } from './prepare-data';

/** Tests read the real default database; build it once before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureDefaultDatabase();
}
