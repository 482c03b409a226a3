import { main } from './stacks/synthesize.js';

main(process.env);
