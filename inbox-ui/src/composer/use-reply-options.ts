import { useCallback, useEffect, useState } from 'react';
import type { ReplyOptions } from '../api/api-types.js';
import type { HubApi } from '../api/hub-api.js';

export interface ReplyOptionsState {
  /** undefined while loading; null when the hub could not say (the composer then sends as before). */
  options: ReplyOptions | null | undefined;
  reload(): void;
}

/**
 * The conversation's reply options, fetched when it opens and again whenever the citizen writes
 * (`lastInboundAt` moves): a new inbound message reopens the customer-service window.
 */
export function useReplyOptions(api: HubApi, conversationId: string, lastInboundAt: string | null): ReplyOptionsState {
  const [options, setOptions] = useState<ReplyOptions | null | undefined>(undefined);
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    let cancelled = false;
    api
      .replyOptions(conversationId)
      .then((value) => !cancelled && setOptions(value))
      .catch(() => !cancelled && setOptions(null));
    return () => {
      cancelled = true;
    };
  }, [api, conversationId, lastInboundAt, seq]);
  const reload = useCallback(() => setSeq((n) => n + 1), []);
  return { options, reload };
}
