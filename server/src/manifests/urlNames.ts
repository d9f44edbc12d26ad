// Works out which package a URL or local path installs: from its `#egg=` fragment, or from a wheel
// / sdist file name (which also gives the version). Offsets are local to the URL string.

export interface UrlName {
  name: string;
  start: number;
  end: number;
  version?: string;
  extras: string[];
}

// {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl
const WHEEL_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-([^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/i;
const SDIST_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)-(\d[^-]*?)\.(?:tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function nameFromUrl(url: string): UrlName | undefined {
  const hash = url.indexOf('#');
  if (hash >= 0) {
    const egg = /(?:^|&)egg=([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?:\[([^\]]*)\])?/.exec(url.slice(hash + 1));
    if (egg) {
      const start = hash + 1 + egg.index + egg[0].indexOf('egg=') + 4;
      const extras = egg[2] ? egg[2].split(',').map((x) => x.trim().toLowerCase()).filter((x) => x !== '') : [];
      return { name: egg[1]!, start, end: start + egg[1]!.length, extras };
    }
  }
  const pathEnd = url.search(/[?#]|$/);
  const path = url.slice(0, pathEnd);
  const segStart = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  const file = path.slice(segStart);
  const m = WHEEL_RE.exec(file) ?? SDIST_RE.exec(file);
  if (!m) return undefined;
  return { name: m[1]!, start: segStart, end: segStart + m[1]!.length, version: decode(m[2]!), extras: [] };
}
