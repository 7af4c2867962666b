import { readFileSync } from 'node:fs';

/**
 * CPU time the benchmark's processes spend: this process (the runner, the handlers, the SQS
 * emulator) and DynamoDB Local's Java. On two cores the pipeline is bound by CPU, not by waiting:
 * the two processes together keep both cores about four fifths busy, so events per second on
 * another machine follow its cores' speed. CPU seconds per 1000 events say how much work the code
 * asks of the machine, a second measure beside the wall time when runs are compared.
 */

/** Linux's clock tick for /proc's utime and stime (USER_HZ, 100 on every Linux ABI Node runs on). */
const USER_HZ = 100;

/** `/proc/<pid>/stat`'s utime + stime in seconds; undefined where /proc is not (not Linux) or the process is gone. */
export const procCpuSeconds = (pid: number, readText = (path: string) => readFileSync(path, 'utf8')) => {
  let stat: string;
  try {
    stat = readText(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted after it.
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line are the 12th and 13th after the name (state is the 1st).
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
};

/** The pids of a process's children (`/proc/<pid>/task/<pid>/children`), empty where there is no /proc. */
export const childPids = (pid: number, readText = (path: string) => readFileSync(path, 'utf8')) => {
  try {
    return readText(`/proc/${pid}/task/${pid}/children`)
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
};

export interface CpuSeconds {
  /** The wall-clock seconds measured. */
  readonly wall: number;
  /** This process, user and system. */
  readonly pipeline: number;
  /** DynamoDB Local's Java; undefined where it could not be read (not Linux). */
  readonly dynamoDbLocal?: number;
}

/**
 * Starts measuring: `stop` gives the CPU seconds spent since. `dynamoDbLocalPid` is the pid of
 * DynamoDB Local's reaper (local/dynamodb-local.ts), whose only child is Java.
 */
export const measureCpu = (dynamoDbLocalPid: number) => {
  const java = childPids(dynamoDbLocalPid)[0];
  const javaAt = (): number | undefined => (java === undefined ? undefined : procCpuSeconds(java));
  const ownAt = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const ownStart = ownAt();
  const javaStart = javaAt();
  const wallStart = performance.now();
  return {
    stop: (): CpuSeconds => {
      const javaEnd = javaAt();
      return {
        wall: (performance.now() - wallStart) / 1000,
        pipeline: ownAt() - ownStart,
        ...(javaStart !== undefined && javaEnd !== undefined ? { dynamoDbLocal: javaEnd - javaStart } : {}),
      };
    },
  };
};
