import { type VaultError, type VaultEventName } from '@tokenvault/protocol';

/** What the proxy tells every connected page. */
export type VaultEvent = VaultEventName;

/** Details of an event: why a `signed-out`, which error. */
export interface VaultEventDetail {
  reason?: string;
  error?: VaultError;
  /** A popup sign-in's outcome (`signed-in`, `error`): its flow id, which only the port that started it is told. */
  flow?: string;
}

/** How the proxy's parts tell the pages: VaultProxy.notify, the one event bus, forwards it to its `onEvent`. */
export type Notify = (event: VaultEvent, detail?: VaultEventDetail) => void;
