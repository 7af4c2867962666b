import { availableParallelism } from 'node:os';

// Jest runs the project as native ESM (middy, fauxqs, powertools and zod ship ESM only):
// ts-jest transpiles each file on its own (type checking is `npm run build`'s job), and
// node --experimental-vm-modules loads the modules.

// Every test's DynamoDB Local (Java) lives seconds to minutes, and most CLI tests start one per
// command: C1 alone compiles for a fast start (about 40% less CPU before it answers) where C2 would
// pay off only in a long run. The JIT changes how fast, never what DynamoDB Local answers. Set here,
// before the workers start, so the tests' own DynamoDB Local and every command they spawn inherit it.
// The tests start DynamoDB Local some 300 times; not verifying the bytecode of its jar (the vendor's,
// installed by npm ci) saves about a sixth of each start's CPU (1.61 → 1.34 CPU-s measured).
process.env.JAVA_TOOL_OPTIONS = [
  process.env.JAVA_TOOL_OPTIONS,
  '-XX:TieredStopAtLevel=1',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:-BytecodeVerificationRemote',
]
  .filter(Boolean)
  .join(' ');

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

// Jest's default is one worker fewer than the cores: on a 2-core machine, one suite at a time. The
// end-to-end suites spend most of their time waiting on the processes they start (the command,
// Java, the sandbox), so two suites at once keep both cores busy; nothing in them is timed, so
// sharing the machine changes how long they take, never what they assert.
const workers = Math.max(2, availableParallelism() - 1);

export default {
  maxWorkers: workers,
  projects: [
    project('unit'),
    project('infra'),
    project('integration', { slowTestThreshold: 30 }),
    project('e2e', { slowTestThreshold: 60 }),
  ],
  // A bound for a test that hangs, never a measure: on a 2-core machine shared with another
  // CPU-heavy process, a test of the end-to-end pipeline was seen to need more than a minute. Tests
  // name a bound of their own only above this one (the large imports).
  testTimeout: 300_000,
};
