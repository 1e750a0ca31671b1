/** Builds the client with Vite when dist/client is missing or older than its sources. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_DIST_DIR } from '../api/paths';
import { ROOT } from './lib/paths';

const SOURCES = ['client', 'vite.config.ts', 'package-lock.json'];

function files(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs)
    .sort()
    .flatMap((f) =>
      f.endsWith('.test.ts') || f.endsWith('.test.tsx') ? [] : files(path.join(rel, f)),
    );
}

function fingerprint(): string {
  const hash = createHash('sha256');
  for (const f of SOURCES.flatMap(files)) hash.update(f).update(readFileSync(path.join(ROOT, f)));
  return hash.digest('hex').slice(0, 16);
}

export async function ensureClientBuild(): Promise<void> {
  const marker = path.join(CLIENT_DIST_DIR, '.fingerprint');
  const version = fingerprint();
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === version) return;
  console.log('[client] building the map client…');
  const started = performance.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(marker, `${version}\n`);
  console.log(`[client] built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureClientBuild();
