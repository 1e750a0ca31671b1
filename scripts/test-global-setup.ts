import { ensureClientBuild } from './build-client';
import { ensureDefaultDatabase } from './prepare-data';

/** Tests read the real default database and drive the built client; build both once. */
export default async function setup(): Promise<void> {
  await ensureDefaultDatabase();
  await ensureClientBuild();
}
