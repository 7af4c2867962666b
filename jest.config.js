// Jest runs the project as native ESM (middy, fauxqs, powertools and zod ship ESM only):
// ts-jest transpiles each file on its own (type checking is `npm run build`'s job), and
// node --experimental-vm-modules loads the modules.
const tsJest = ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true, sourceMap: true } }];

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdk.out/'],
  ...extra,
});

export default {
  projects: [
    project('unit'),
    project('infra'),
    project('integration', { slowTestThreshold: 30 }),
    project('e2e', { slowTestThreshold: 60 }),
  ],
  testTimeout: 60_000,
};
