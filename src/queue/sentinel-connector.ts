// ioredis' Sentinel connector with one race closed. Its failover detector disconnects the connector when
// a sentinel announces `+switch-master`; when that lands while the client is reconnecting (asking a
// sentinel where the primary is — as every client is once the old primary died), ioredis' connect()
// throws "Connection is closed." and the client ends for good: a webhook server answering 500 and a
// worker stuck until restarted. Here the interrupted connect hands the client a closed socket instead,
// and the client decides as it does for any closed socket: reconnect (asking the sentinels afresh), or,
// when the disconnect was the application's own, end.

import { Socket } from 'node:net';
import { SentinelConnector, type SentinelConnectionOptions } from 'ioredis';

/** ioredis' message for a connection closed under a command (or, here, under a connect). */
const CONNECTION_CLOSED = 'Connection is closed.';

export class FailoverSafeSentinelConnector extends SentinelConnector {
  // ioredis constructs the `Connector` option with the client's options, typed as unknown.
  constructor(options: unknown) {
    super(options as SentinelConnectionOptions);
  }

  override async connect(eventEmitter: Parameters<SentinelConnector['connect']>[0]): Promise<Socket> {
    try {
      return (await super.connect(eventEmitter)) as Socket;
    } catch (error) {
      if (!(error instanceof Error) || error.message !== CONNECTION_CLOSED) throw error;
      const interrupted = new Socket();
      interrupted.destroy();
      return interrupted;
    }
  }
}
