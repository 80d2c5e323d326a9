// What a simple index (PEP 503 HTML or PEP 691 JSON) says about one project, in one shape for both.

export interface DistributionFile {
  filename: string;
  /** Absolute URL of the file, without its hash fragment. */
  url: string;
  /** Hash name → lower-case hex digest (`sha256`, and others the index gives). */
  hashes: Record<string, string>;
  /** `requires-python` as written (HTML-unescaped). */
  requiresPython?: string;
  yanked: boolean;
  /** Why it was yanked, when the index says. */
  yankedReason?: string;
  /** PEP 700 `upload-time` (ISO 8601), JSON only. */
  uploadTime?: string;
}

export interface SimpleProject {
  files: DistributionFile[];
  /** PEP 700 `versions` (JSON API 1.1), when given. */
  versions?: string[];
}
