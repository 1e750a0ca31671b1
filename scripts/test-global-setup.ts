import { ensureClientBuild } from './build-client';
import { ensureDefaultDatabase } from './prepare-data';

/**
 * Tests read the real default database and drive the built client; build both once.
 * PETA_SKIP_SETUP=1 skips it for unit tests that need neither.
 */
export default async function setup(): Promise<void> {
  if (process.env.PETA_SKIP_SETUP === '1') return;
  await ensureDefaultDatabase();
  await ensureClientBuild();
}
