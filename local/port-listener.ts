import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Which process listens on a TCP port, read from Linux's /proc: the listening sockets of the port
 * in /proc/net/tcp and /proc/net/tcp6 (state 0A), and whether one of them is among the process's
 * open files (/proc/<pid>/fd links to `socket:[<inode>]`).
 *
 * `undefined` where /proc cannot tell (another system, or /proc not mounted).
 */
export const listensOn = (pid: number, port: number): boolean | undefined => {
  const inodes = listeningSocketInodes(port);
  if (inodes === undefined) return undefined;
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    // The process is gone (or never was): it listens on nothing.
    return false;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed while we read
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && inodes.has(inode)) return true;
  }
  return false;
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
