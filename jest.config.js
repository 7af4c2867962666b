// Jest runs the project as native ESM (middy, fauxqs, powertools and zod ship ESM only):
// @swc/jest strips the TypeScript, node --experimental-vm-modules loads the modules.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc },
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
