// End-of-life data for base images (config/eol.json) and the pure lookup DH302 uses.
export type { EolData, EolProduct, EolRelease } from './data.js';
export { EOL_FILE, eolData, parseEolData } from './data.js';
export type { EolFinding } from './find.js';
export { eolFindings, hasEnded, imageReleases, successor } from './find.js';
