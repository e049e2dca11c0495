// The README names the Node.js lines we support and promises that `npm ci` warns of no engine on
// them. npm prints EBADENGINE for every installed package (the project's own included) whose
// `engines.node` range leaves the running Node out, and package-lock.json records each range, so
// checking the lockfile against the lowest release of each named line keeps the promise true
// without installing several Node versions here.
import { readFile } from 'node:fs/promises';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  engines?: { node?: string } | string[];
}

const root = new URL('../', import.meta.url);
const readme = await readFile(new URL('README.md', root), 'utf8');
const packageJson = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(await readFile(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

/** The lowest release of each line the README's requirements sentence names. */
function namedReleases(): string[] {
  const sentence = /^Requirements: Node\.js ([^.]+(?:\.\d+[^.]*)*)\./m.exec(readme)?.[1];
  if (sentence === undefined) throw new Error('README has no "Requirements: Node.js …" sentence');
  const releases: string[] = [];
  // "22 (22.13 or later), 24 or 26": a line, optionally with its lowest supported release.
  for (const match of sentence.matchAll(/\b(\d{2})(?: \((\d{2}\.\d+) or later\))?/g)) {
    releases.push(semver.coerce(match[2] ?? match[1])!.version);
  }
  return releases;
}

describe('Node.js versions named in the README', () => {
  const releases = namedReleases();

  it('names the maintained LTS lines', () => {
    expect(releases.map((release) => semver.major(release))).toEqual([22, 24, 26]);
  });

  it('are all accepted by the project’s own engines field', () => {
    for (const release of releases) expect(semver.satisfies(release, packageJson.engines.node)).toBe(true);
  });

  it('leave no installed package with an engine range that refuses them', () => {
    const refused: string[] = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined) continue;
      for (const release of releases) {
        if (!semver.satisfies(release, range)) refused.push(`${name || 'statement-desk'} wants ${range}, not ${release}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('say Node 20 is not supported, as the engines field does', () => {
    expect(semver.satisfies('20.20.0', packageJson.engines.node)).toBe(false);
    expect(readme).toMatch(/Node 20 [^.]*end of life[^.]*not supported/);
  });
});
