import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'infra',
          root: '.',
          include: ['tests/infra/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
