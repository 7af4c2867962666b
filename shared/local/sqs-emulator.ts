import { buildApp } from 'fauxqs';

/**
 * The fauxqs SQS emulator, embedded in this process and listening on a loopback port. Being
 * in-process, it cannot outlive us; its state is in memory only.
 */
export interface SqsEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export const startSqsEmulator = async (options: { port?: number } = {}): Promise<SqsEmulator> => {
  const app = buildApp({ logger: false });
  const address = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  let stopped = false;
  return {
    endpoint: address,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
    },
  };
};
