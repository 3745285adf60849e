import type { Store } from '@tooltrace/store';
import type { CursorSigner } from '../cursor.ts';
import type { KeySessions } from '../key-sessions.ts';
import type { LiveFeedOptions, StreamSlots } from '../live-feed.ts';
import type { ForwardingControl } from './forwarding.ts';

/** What route modules need; built once per app. */
export interface RouteDeps {
  store: Store;
  cursors: CursorSigner;
  liveFeed: LiveFeedOptions;
  /** Open live feeds per project, shared by both feeds of one app. */
  streams: StreamSlots;
  now: () => number;
  /** Live feeds and exports, ended when their key is rotated. */
  sessions: KeySessions;
  /** The collector's forwarding (status, test probe); absent when the API runs alone. */
  forwarding?: ForwardingControl | undefined;
}
