/**
 * cdktf 0.21 (its last release; the project is deprecated) calls `util.isArray` while it
 * synthesizes outputs (lib/terraform-output.js), which Node 22 reports on every synth as
 * `[DEP0044] DeprecationWarning`. The warning is about cdktf's code, not the user's, and cannot be
 * fixed here, so exactly that warning code is dropped; every other warning still prints.
 * Remove this file with the move to CDK Terrain: cdktn 0.24 calls Array.isArray there instead
 * (docs/cdk-terrain.md).
 */
const CDKTF_DEPRECATIONS: ReadonlySet<string> = new Set(['DEP0044']);

let installed = false;

export function silenceCdktfDeprecations(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    const [typeOrOptions, code] = rest;
    const warningCode =
      typeof typeOrOptions === 'object' && typeOrOptions !== null ? (typeOrOptions as { code?: unknown }).code : code;
    if (typeof warningCode === 'string' && CDKTF_DEPRECATIONS.has(warningCode)) return;
    emitWarning(warning, ...rest);
  };
}
