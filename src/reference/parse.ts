// Distribution (OCI / Docker) image reference grammar with Docker Hub normalisation.
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [ domain "/" ] path-component ( "/" path-component )*
//   domain     := host [ ":" port ]          host = domain name | "[" IPv6 "]"
//
// The first path component is a domain when it contains `.` or `:` or is `localhost`; otherwise the
// image lives on Docker Hub (`docker.io`), where single-segment names get the `library/` prefix.
// Errors are returned as values, never thrown.

export interface ImageReference {
  /** Normalised registry host (`docker.io` for Docker Hub, `index.docker.io` folded into it). */
  registry: string;
  /** Repository path inside the registry (`library/` added for official Docker Hub images). */
  repository: string;
  tag: string | null;
  digest: string | null;
  /** Offsets inside the input string. */
  nameEnd: number;
  /** Index of the `:` that starts the tag, or null without tag. */
  tagStart: number | null;
  /** Index of the `@` that starts the digest, or null without digest. */
  digestStart: number | null;
}

export const DOCKER_HUB = 'docker.io';
const NAME_MAX_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = new RegExp(`^${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*$`);
const IPV6_LITERAL = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
// Registered algorithms have a fixed, lower-case hex encoding (OCI image-spec descriptor rules).
const DIGEST_ENCODINGS: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};
const DIGEST_OTHER_ENCODING = /^[0-9a-fA-F]{32,}$/;

/** Parses `text` as an image reference. Returns `{ error }` with a readable message when invalid. */
export function parseReference(text: string): ImageReference | { error: string } {
  if (text.length === 0) return { error: 'empty reference' };

  const at = text.indexOf('@');
  const digestStart = at === -1 ? null : at;
  const namePart = digestStart === null ? text : text.slice(0, digestStart);
  let digest: string | null = null;
  if (digestStart !== null) {
    digest = text.slice(digestStart + 1);
    const digestError = checkDigest(digest);
    if (digestError) return { error: digestError };
  }

  // A tag colon comes after the last slash; colons before it belong to the domain (port, IPv6).
  const colon = namePart.lastIndexOf(':');
  const tagStart = colon > namePart.lastIndexOf('/') && !namePart.includes(']', colon) ? colon : null;
  const name = tagStart === null ? namePart : namePart.slice(0, tagStart);
  let tag: string | null = null;
  if (tagStart !== null) {
    tag = namePart.slice(tagStart + 1);
    if (!TAG.test(tag)) {
      return { error: tag === '' ? 'empty tag after ":"' : `invalid tag "${tag}"` };
    }
  }

  if (name.length === 0) return { error: 'missing repository name' };
  if (name.length > NAME_MAX_LENGTH) {
    return { error: `repository name is longer than ${NAME_MAX_LENGTH} characters` };
  }

  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasDomain = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = DOCKER_HUB;
  let repository = name;
  if (hasDomain) {
    const domainError = checkDomain(first);
    if (domainError) return { error: domainError };
    registry = first === 'index.docker.io' ? DOCKER_HUB : first;
    repository = name.slice(slash + 1);
  }

  const pathError = checkPath(repository);
  if (pathError) return { error: pathError };
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;

  return { registry, repository, tag, digest, nameEnd: name.length, tagStart, digestStart };
}

/** Normalised dependency name: `registry/repository`, e.g. `docker.io/library/node`. */
export function depNameOf(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

export function isReferenceError(result: ImageReference | { error: string }): result is { error: string } {
  return 'error' in result;
}

function checkDomain(domain: string): string | null {
  let host = domain;
  let port: string | null = null;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close === -1) return `invalid registry "${domain}": unterminated IPv6 literal`;
    host = domain.slice(0, close + 1);
    const rest = domain.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return `invalid registry "${domain}"`;
      port = rest.slice(1);
    }
    if (!IPV6_LITERAL.test(host)) return `invalid registry "${domain}": bad IPv6 literal`;
  } else {
    const colon = domain.indexOf(':');
    if (colon !== -1) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (!DOMAIN_NAME.test(host)) return `invalid registry host "${host}"`;
  }
  if (port !== null && !PORT.test(port)) return `invalid registry port "${port}" in "${domain}"`;
  return null;
}

function checkPath(path: string): string | null {
  for (const component of path.split('/')) {
    if (PATH_COMPONENT.test(component)) continue;
    if (component === '') return `empty path component in "${path}"`;
    if (PATH_COMPONENT.test(component.toLowerCase())) return `repository name must be lowercase: "${path}"`;
    return `invalid repository name component "${component}"`;
  }
  return null;
}

function checkDigest(digest: string): string | null {
  const colon = digest.indexOf(':');
  if (colon === -1) return `invalid digest "${digest}": expected algorithm:hex`;
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  if (!DIGEST_ALGORITHM.test(algorithm)) return `invalid digest algorithm "${algorithm}"`;
  const known = DIGEST_ENCODINGS[algorithm];
  if (known) {
    if (!known.test(encoded)) {
      const hexLength = algorithm === 'sha256' ? 64 : 128;
      return `invalid ${algorithm} digest: expected ${hexLength} lower-case hex characters`;
    }
  } else if (!DIGEST_OTHER_ENCODING.test(encoded)) {
    return `invalid digest "${digest}": expected at least 32 hex characters`;
  }
  return null;
}
