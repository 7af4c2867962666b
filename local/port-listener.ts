import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Whether a process (or one of its descendants: a `java` on the PATH may be a wrapper that starts
 * the JVM as its child) listens on a TCP port, asked once something has answered on the port, and
 * read from Linux's /proc: the listening sockets of the port in /proc/net/tcp and /proc/net/tcp6
 * (state 0A), and whether one of them is among the processes' open files (/proc/<pid>/fd links to
 * `socket:[<inode>]`).
 *
 * - `this process`: one of the port's listening sockets is the process's.
 * - `another process`: the port has a listening socket and the process holds none of them (a
 *   process that is gone holds none).
 * - `unknown`: /proc cannot tell: there is none (another system), it lists no listener on the port
 *   though something answered there (a /proc that does not show sockets), or the process's files
 *   cannot be read.
 */
export type PortListener = 'this process' | 'another process' | 'unknown';

export const listenerOf = (pid: number, port: number): PortListener => {
  const inodes = listeningSocketInodes(port);
  if (inodes === undefined || inodes.size === 0) return 'unknown';
  let unreadable = false;
  for (const member of processTree(pid)) {
    const holds = holdsSocket(member, inodes);
    if (holds === true) return 'this process';
    if (holds === undefined) unreadable = true;
  }
  return unreadable ? 'unknown' : 'another process';
};

/** Whether the process has one of the sockets open; undefined when its files cannot be read. */
const holdsSocket = (pid: number, inodes: ReadonlySet<string>): boolean | undefined => {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : undefined;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // closed while we read
      return undefined;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) return true;
  }
  return false;
};

/** The process and its descendants, as /proc/<pid>/task/<tid>/children lists them. */
const processTree = (root: number): number[] => {
  const seen = new Set<number>([root]);
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      let children: string;
      try {
        children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number))
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
    }
  }
  return [...seen];
};

const LISTEN_STATE = '0A';

/** The inodes of the sockets listening on `port`; undefined when neither table can be read. */
const listeningSocketInodes = (port: number): Set<string> | undefined => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  let read = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    read = true;
    // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode"
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (local?.endsWith(`:${hexPort}`) && state === LISTEN_STATE && inode !== undefined && inode !== '0')
        inodes.add(inode);
    }
  }
  return read ? inodes : undefined;
};
