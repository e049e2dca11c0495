// Reads our Dockerfile's stages (FROM, COPY, CMD), enough for test/build.test.ts to check the
// image without a container engine: every path it copies exists, and the runtime stage's layout
// is what the built service is started from.

export interface DockerCopy {
  /** The stage copied from (COPY --from=...), or undefined for the build context. */
  from: string | undefined;
  sources: string[];
  target: string;
}

export interface DockerStage {
  name: string | undefined;
  copies: DockerCopy[];
  cmd: string[] | undefined;
}

export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const line of lines) {
    const [instruction = '', ...args] = line.split(/\s+/);
    const keyword = instruction.toUpperCase();
    if (keyword === 'FROM') stages.push({ name: /\sAS\s+(\S+)\s*$/i.exec(line)?.[1], copies: [], cmd: undefined });
    const stage = stages.at(-1);
    if (!stage) continue;
    if (keyword === 'COPY') {
      const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length);
      const paths = args.filter((a) => !a.startsWith('--'));
      stage.copies.push({ from, sources: paths.slice(0, -1), target: paths.at(-1)! });
    }
    if (keyword === 'CMD') stage.cmd = JSON.parse(line.slice(instruction.length).trim()) as string[];
  }
  return stages;
}

/** Where a COPY puts one source, relative to the image's WORKDIR (/app). */
export function copyTarget(copy: DockerCopy, source: string, workdir = '/app'): string {
  const base = source.replace(/\/+$/, '').split('/').at(-1)!;
  const target = copy.target.startsWith('/') ? copy.target : `${workdir}/${copy.target}`;
  const intoDir = copy.target.endsWith('/') || copy.sources.length > 1 || copy.target === '.' || copy.target === './';
  const resolved = intoDir ? `${target.replace(/\/?\.?\/?$/, '')}/${base}` : target;
  return resolved.replace(new RegExp(`^${workdir}/?`), '');
}
