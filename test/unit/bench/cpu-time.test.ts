import { describe, expect, it } from '@jest/globals';
import { childPids, measureCpu, procCpuSeconds } from '../../../bench/cpu-time.js';

/** A /proc/<pid>/stat line as Linux writes it: utime 1234 and stime 567 ticks (fields 14 and 15). */
const STAT =
  '4242 (java main) S 4241 4242 4241 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 40 0 500 9000000 170000';

describe('CPU time of the benchmark’s processes', () => {
  it('reads utime + stime from /proc/<pid>/stat in seconds, a command name with a space included', () => {
    expect(procCpuSeconds(4242, () => STAT)).toBe(18.01);
  });

  it('gives undefined where /proc cannot be read (not Linux, the process gone)', () => {
    const gone = () => {
      throw new Error('ENOENT');
    };
    expect(procCpuSeconds(4242, gone)).toBeUndefined();
    expect(childPids(4241, gone)).toEqual([]);
  });

  it('lists the children of a process (DynamoDB Local’s reaper has Java alone)', () => {
    expect(childPids(4241, (path) => (path === '/proc/4241/task/4241/children' ? '4242 ' : ''))).toEqual([
      4242,
    ]);
  });

  it('measures this process’s own CPU time over a stretch of work', () => {
    const cpu = measureCpu(-1);
    let spun = 0;
    const before = process.cpuUsage();
    // Work until the process's own counter has moved, so the measured figure cannot be zero.
    while (process.cpuUsage(before).user < 20_000) spun += 1;
    const spent = cpu.stop();
    expect(spun).toBeGreaterThan(0);
    expect(spent.pipeline).toBeGreaterThanOrEqual(0.02);
    expect(spent.dynamoDbLocal).toBeUndefined();
  });
});
