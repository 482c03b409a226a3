import { silenceCdktfDeprecations } from '../../stacks/dependency-warnings.js';

// The infra suites build cdktf apps in-process, as `npm run synth` does; they run with its hygiene.
silenceCdktfDeprecations();
