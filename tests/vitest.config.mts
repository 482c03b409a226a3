import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'infra',
          root: '.',
          include: ['tests/infra/**/*.test.ts'],
          setupFiles: ['tests/infra/setup.ts'],
          globalSetup: ['tests/tmpdir-setup.ts'],
          testTimeout: 60_000,
          // Whole-app synths in beforeAll (five regions, every stack) outlast the 10 s default on 2 cores.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'service',
          root: '.',
          include: ['tests/service/**/*.test.ts'],
          globalSetup: ['tests/tmpdir-setup.ts', 'tests/service/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'terraform',
          root: '.',
          include: ['tests/terraform/**/*.test.ts'],
          // init, validate and plan start the AWS provider (~0.9 GB binary) once per stack.
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
