import { main } from './stacks/synthesize.js';

// cdktf captures a full stack trace for every token it creates; with the source maps the TS
// loader turns on, formatting those traces is a fifth of synth time. Errors the user should see
// are configuration and policy messages, which carry no stack trace.
process.setSourceMapsEnabled(false);
main(process.env);
