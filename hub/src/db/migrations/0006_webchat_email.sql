-- Web chat widget and e-mail channel (issue 5): files that exist before their conversation,
-- channel metadata on messages (e-mail subject, sanitised HTML, threading headers), widget
-- visitor sessions, IMAP mailbox positions, the suppression list, mass mailings, exit surveys,
-- and the ingest function again with threading (reopen by reference or folio) and file linking.

-- An e-mail's or a visitor's attachment is stored before the message that carries it (and so
-- before any conversation exists); ingest links it (below). `source` says who supplied it.
ALTER TABLE files ALTER COLUMN conversation_id DROP NOT NULL;
ALTER TABLE files
  ADD COLUMN channel_id uuid REFERENCES channels(id),
  ADD COLUMN source     text NOT NULL DEFAULT 'agent' CHECK (source IN ('agent','contact','system'));
CREATE INDEX files_unlinked_idx ON files (channel_id, created_at) WHERE conversation_id IS NULL;

-- What a channel adds to a message: for e-mail { subject, messageId, inReplyTo, references,
-- from, to, cc, html (sanitised), rawFileId, automated }; the inbox reads `subject`.
ALTER TABLE messages ADD COLUMN meta jsonb;

-- A widget visitor (no account): the token names this row. The pre-chat data is what the
-- visitor typed (unverified), so it never becomes an identity of a contact by itself.
CREATE TABLE webchat_sessions (
  visitor_id    uuid PRIMARY KEY,
  channel_id    uuid NOT NULL REFERENCES channels(id),
  campaign_id   uuid NOT NULL REFERENCES campaigns(id),
  origin        text NOT NULL,
  name          text CHECK (char_length(name) <= 200),
  email         text CHECK (char_length(email) <= 254),
  phone         text CHECK (char_length(phone) <= 32),
  topic         text CHECK (char_length(topic) <= 200),
  ip            text,
  user_agent    text CHECK (char_length(user_agent) <= 1000),
  visit_count   integer NOT NULL DEFAULT 1,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  last_seen_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX webchat_sessions_channel_idx ON webchat_sessions (channel_id, last_seen_at DESC);

-- Where the IMAP reader of a mailbox stands: messages up to last_uid were handed to the ingest
-- queue. A new uid_validity means the server renumbered the mailbox: read it again from the
-- start (Message-ID deduplication keeps that from storing anything twice).
CREATE TABLE email_mailbox_state (
  channel_id    uuid NOT NULL REFERENCES channels(id),
  mailbox       text NOT NULL,
  uid_validity  bigint NOT NULL,
  last_uid      bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, mailbox)
);

-- Addresses a campaign must not mass-mail again: unsubscribed, hard-bounced or complained.
CREATE TABLE email_suppressions (
  campaign_id  uuid NOT NULL REFERENCES campaigns(id),
  email        text NOT NULL CHECK (email = lower(email)),
  reason       text NOT NULL CHECK (reason IN ('unsubscribed','bounced','complaint')),
  detail       text,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, email)
);

-- Mass e-mail (issue 5 item 11; seed-digest §1.4 "DIR mass mail").
CREATE TABLE mass_mailings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  channel_id       uuid NOT NULL REFERENCES channels(id),
  name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  subject          text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 998),
  body_text        text NOT NULL,
  body_html        text,
  qr_text          text,
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','scheduled','sending','paused','completed','cancelled')),
  scheduled_at     timestamptz(3),
  rate_per_minute  integer NOT NULL DEFAULT 600 CHECK (rate_per_minute BETWEEN 1 AND 100000),
  created_by       uuid REFERENCES users(id),
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  started_at       timestamptz(3),
  completed_at     timestamptz(3),
  updated_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX mass_mailings_campaign_idx ON mass_mailings (campaign_id, created_at DESC);

CREATE TABLE mass_mailing_recipients (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mailing_id   uuid NOT NULL REFERENCES mass_mailings(id) ON DELETE CASCADE,
  email        text NOT NULL,
  name         text,
  variables    jsonb NOT NULL DEFAULT '{}'::jsonb,
  status       text NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending','sent','failed','bounced','suppressed','invalid')),
  error        text,
  message_id   text UNIQUE,
  attempts     integer NOT NULL DEFAULT 0,
  sent_at      timestamptz(3),
  failed_at    timestamptz(3),
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (mailing_id, email)
);
CREATE INDEX mass_mailing_recipients_status_idx ON mass_mailing_recipients (mailing_id, status);

-- Exit survey answers (issue 5 item 4; seed-digest §6.2, §8.1): one per conversation, against its
-- folio; the 12 yes/no answers as { questionId: boolean }; each agent who served it rated apart.
CREATE TABLE survey_responses (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id  uuid NOT NULL UNIQUE REFERENCES conversations(id),
  campaign_id      uuid NOT NULL REFERENCES campaigns(id),
  folio            text NOT NULL,
  channel_id       uuid NOT NULL REFERENCES channels(id),
  rating           smallint CHECK (rating BETWEEN 1 AND 5),
  comment          text CHECK (char_length(comment) <= 2000),
  answers          jsonb NOT NULL DEFAULT '{}'::jsonb,
  yes_count        smallint NOT NULL DEFAULT 0,
  no_count         smallint NOT NULL DEFAULT 0,
  created_at       timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX survey_responses_campaign_idx ON survey_responses (campaign_id, created_at);

CREATE TABLE survey_agent_ratings (
  response_id  uuid NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
  agent_id     uuid NOT NULL REFERENCES users(id),
  tier         text NOT NULL CHECK (tier IN ('PS-I','PS-P')),
  rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  PRIMARY KEY (response_id, agent_id)
);
CREATE INDEX survey_agent_ratings_agent_idx ON survey_agent_ratings (agent_id);

-- p_items gains (all optional): meta (object, stored in messages.meta), threadRefs (array of
-- provider message ids this one answers), threadFolio (a folio named by the message), fileIds
-- (files stored for it beforehand). Results gain `reopened`.
CREATE OR REPLACE FUNCTION ingest_inbound_messages(p_items jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_results jsonb := '[]'::jsonb;
  v_channel uuid; v_campaign uuid; v_kind text; v_provider_id text; v_keys jsonb;
  v_contact uuid; v_name text; v_contact_created boolean;
  v_winner uuid; v_winner_name text;
  v_conv conversations; v_conv_created boolean;
  v_msg messages; v_existing uuid; v_inserted integer; v_key jsonb;
  v_rooms jsonb; v_summary jsonb; v_view jsonb; v_outbox jsonb;
  v_refs jsonb; v_thread_folio text; v_thread conversations; v_reopened boolean;
BEGIN
  FOR v_item IN SELECT value FROM jsonb_array_elements(p_items) LOOP
    v_channel := (v_item->>'channelId')::uuid;
    v_campaign := (v_item->>'campaignId')::uuid;
    v_kind := v_item->>'channelKind';
    v_provider_id := v_item->>'providerMessageId';
    v_keys := v_item->'keys';
    v_contact := NULL; v_name := NULL; v_contact_created := false; v_conv_created := false; v_reopened := false;
    v_refs := coalesce(v_item->'threadRefs', '[]'::jsonb);
    v_thread_folio := v_item->>'threadFolio';

    SELECT id INTO v_existing FROM messages WHERE channel_id = v_channel AND provider_message_id = v_provider_id;
    IF FOUND THEN
      v_results := v_results || jsonb_build_array(jsonb_build_object('outcome', 'duplicate', 'messageId', v_existing));
      CONTINUE;
    END IF;

    -- The contact owning the most trusted known identity (following a merge). One indexed
    -- lookup per key: a join against the key list let the planner choose a sequential scan
    -- of contact_identities, which grows with every citizen.
    FOR v_key IN SELECT value FROM jsonb_array_elements(v_keys) LOOP
      SELECT o.contact_id, o.display_name INTO v_contact, v_name FROM identity_owner(v_key) o;
      EXIT WHEN v_contact IS NOT NULL;
    END LOOP;
    IF v_contact IS NULL THEN
      INSERT INTO contacts (display_name) VALUES (v_item->>'name') RETURNING id, display_name INTO v_contact, v_name;
      v_contact_created := true;
    END IF;
    v_inserted := 0;
    IF v_contact_created OR jsonb_array_length(v_keys) > 1 THEN
      INSERT INTO contact_identities (kind, value, channel_id, contact_id)
      SELECT k->>'kind', k->>'value', (k->>'channel_id')::uuid, v_contact FROM jsonb_array_elements(v_keys) k
      ON CONFLICT ON CONSTRAINT contact_identities_unique DO NOTHING;
      GET DIAGNOSTICS v_inserted = ROW_COUNT;
    END IF;
    -- Every identity went in: nobody registered this citizen first, no need to look again.
    IF v_contact_created AND v_inserted < jsonb_array_length(v_keys) THEN
      -- A concurrent transaction may have registered the same citizen first: the unique
      -- constraint decided, so yield to its contact and drop ours.
      SELECT o.contact_id, o.display_name INTO v_winner, v_winner_name FROM identity_owner(v_keys->0) o;
      IF v_winner IS DISTINCT FROM v_contact THEN
        DELETE FROM contact_identities WHERE contact_id = v_contact;
        DELETE FROM contacts WHERE id = v_contact;
        v_contact := v_winner; v_name := v_winner_name; v_contact_created := false;
        INSERT INTO contact_identities (kind, value, channel_id, contact_id)
        SELECT k->>'kind', k->>'value', (k->>'channel_id')::uuid, v_contact FROM jsonb_array_elements(v_keys) k
        ON CONFLICT ON CONSTRAINT contact_identities_unique DO NOTHING;
      END IF;
    END IF;

    SELECT * INTO v_conv FROM conversations WHERE channel_id = v_channel AND contact_id = v_contact AND closed_at IS NULL;
    -- Threading (issue 5 item 8): a reply naming one of this channel's messages (References /
    -- In-Reply-To) or a folio in its subject goes back to that conversation, reopened when it
    -- was closed. Only the same citizen's conversations on the same channel qualify, so a forged
    -- reference to another citizen's (or campaign's) conversation opens a new one instead.
    IF NOT FOUND AND (jsonb_array_length(v_refs) > 0 OR v_thread_folio IS NOT NULL) THEN
      SELECT c.* INTO v_thread FROM conversations c
      WHERE c.channel_id = v_channel AND c.contact_id = v_contact AND c.closed_at IS NOT NULL
        AND (c.folio = v_thread_folio OR c.id IN (
          SELECT m.conversation_id FROM messages m
          WHERE m.channel_id = v_channel AND m.provider_message_id IN (SELECT jsonb_array_elements_text(v_refs))))
      ORDER BY c.closed_at DESC LIMIT 1 FOR UPDATE;
      IF FOUND THEN
        BEGIN
          -- Back in line as if new (intake gives it a queue again; sticky routing may prefer its
          -- last agent); the folio, history and first response are kept.
          UPDATE conversations SET status = 'queued', closed_at = NULL, queue_id = NULL, assignee_id = NULL, offer_id = NULL,
            enqueued_at = NULL, queue_entered_at = NULL, overflow_steps = 0, relaxed_levels = 0, visited_queue_ids = '{}',
            excluded_agent_ids = '{}', preferred_agent_id = NULL, after_hours = false, treatment = NULL, channel_class = NULL,
            seat_type = NULL, unread_count = 0, updated_at = now()
          WHERE id = v_thread.id AND closed_at IS NOT NULL
          RETURNING * INTO v_conv;
          v_reopened := FOUND;
        EXCEPTION WHEN unique_violation THEN
          -- Someone opened a conversation for this citizen meanwhile: the message goes there.
          v_reopened := false;
        END;
        IF NOT v_reopened THEN
          SELECT * INTO v_conv FROM conversations WHERE channel_id = v_channel AND contact_id = v_contact AND closed_at IS NULL;
        END IF;
      END IF;
    END IF;
    IF v_conv.id IS NULL THEN
      -- Opened with this message already counted (now() is also the message's created_at), so
      -- a new conversation is written once instead of inserted and then updated.
      INSERT INTO conversations (folio, campaign_id, channel_id, contact_id, status, last_message_at, last_inbound_at, unread_count)
      VALUES (next_folio(v_campaign), v_campaign, v_channel, v_contact, 'queued', now(), now(), 1)
      ON CONFLICT (channel_id, contact_id) WHERE closed_at IS NULL DO NOTHING
      RETURNING * INTO v_conv;
      IF FOUND THEN
        v_conv_created := true;
      ELSE
        SELECT * INTO STRICT v_conv FROM conversations WHERE channel_id = v_channel AND contact_id = v_contact AND closed_at IS NULL;
      END IF;
    END IF;

    INSERT INTO messages (conversation_id, channel_id, direction, sender_type, content_type, text, attachments, raw, meta, provider_message_id, status)
    VALUES (v_conv.id, v_channel, 'inbound', 'contact', v_item->>'contentType', v_item->>'text',
            coalesce(v_item->'attachments', '[]'::jsonb), nullif(v_item->'raw', 'null'::jsonb), nullif(v_item->'meta', 'null'::jsonb), v_provider_id, 'received')
    ON CONFLICT ON CONSTRAINT messages_provider_id_unique DO NOTHING
    RETURNING * INTO v_msg;
    IF NOT FOUND THEN
      -- Stored by a concurrent transaction after our check; it used the same contact and
      -- conversation (the unique constraints made us wait for it), so nothing is left over.
      SELECT id INTO v_existing FROM messages WHERE channel_id = v_channel AND provider_message_id = v_provider_id;
      v_results := v_results || jsonb_build_array(jsonb_build_object('outcome', 'duplicate', 'messageId', v_existing));
      CONTINUE;
    END IF;

    -- Files stored before the message (an e-mail's or a widget visitor's attachments) now
    -- belong to its conversation; only this channel's own unlinked files are taken.
    IF jsonb_array_length(coalesce(v_item->'fileIds', '[]'::jsonb)) > 0 THEN
      UPDATE files SET conversation_id = v_conv.id
      WHERE id IN (SELECT (jsonb_array_elements_text(v_item->'fileIds'))::uuid) AND channel_id = v_channel AND conversation_id IS NULL;
    END IF;

    IF NOT v_conv_created THEN
      UPDATE conversations SET last_message_at = greatest(last_message_at, v_msg.created_at), last_inbound_at = v_msg.created_at,
        unread_count = unread_count + 1, updated_at = now()
      WHERE id = v_conv.id RETURNING * INTO v_conv;
    END IF;

    -- Domain events (hub/src/domain/interaction-events.ts): contact.created, conversation.opened, message.received.
    INSERT INTO interaction_events (type, campaign_id, conversation_id, contact_id, message_id, actor_type, actor_id, payload)
    SELECT e.type, v_campaign, v_conv.id, v_contact, e.message_id, 'contact', v_contact::text, e.payload
    FROM (VALUES
      (1, 'contact.created', NULL::uuid, jsonb_build_object('channelId', v_channel), v_contact_created),
      (2, 'conversation.opened', NULL::uuid, jsonb_build_object('folio', v_conv.folio, 'channelId', v_channel, 'channelKind', v_kind), v_conv_created),
      (3, 'conversation.reopened', NULL::uuid, jsonb_build_object('folio', v_conv.folio, 'channelId', v_channel, 'channelKind', v_kind), v_reopened),
      (4, 'message.received', v_msg.id, jsonb_build_object('contentType', v_msg.content_type, 'providerMessageId', v_provider_id,
         'providerTimestamp', v_item->>'occurredAt'), true)
    ) AS e(ord, type, message_id, payload, wanted)
    WHERE e.wanted ORDER BY e.ord;

    -- Realtime notifications (hub/src/realtime/events.contract.ts); the shapes are those of
    -- toConversationSummary / toMessageView, and a test keeps the two in step.
    v_rooms := jsonb_build_array('campaign:' || v_campaign, 'conversation:' || v_conv.id);
    v_summary := jsonb_build_object('id', v_conv.id, 'folio', v_conv.folio, 'campaignId', v_conv.campaign_id, 'channelId', v_conv.channel_id,
      'channelKind', v_kind, 'contactId', v_conv.contact_id, 'contactName', v_name, 'status', v_conv.status, 'priority', v_conv.priority,
      'assigneeId', v_conv.assignee_id, 'unreadCount', v_conv.unread_count,
      'openedAt', to_char(v_conv.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'lastMessageAt', to_char(v_conv.last_message_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
    v_view := jsonb_build_object('id', v_msg.id, 'conversationId', v_msg.conversation_id, 'direction', v_msg.direction,
      'senderType', v_msg.sender_type, 'senderId', v_msg.sender_id, 'contentType', v_msg.content_type, 'text', v_msg.text,
      'attachments', v_msg.attachments, 'subject', v_msg.meta->>'subject', 'status', v_msg.status, 'errorCode', v_msg.error_code, 'errorReason', v_msg.error_reason,
      'createdAt', to_char(v_msg.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));

    WITH n(ord, payload) AS (
      SELECT 1, jsonb_build_object('event', 'conversation.opened', 'rooms', v_rooms,
        'data', jsonb_build_object('campaignId', v_campaign, 'conversation', v_summary))
      WHERE v_conv_created OR v_reopened
      UNION ALL
      SELECT 2, jsonb_build_object('event', 'message.created', 'rooms', v_rooms,
        'data', jsonb_build_object('campaignId', v_campaign, 'conversationId', v_conv.id, 'folio', v_conv.folio, 'message', v_view))
    ), ins AS (
      INSERT INTO outbox (topic, payload) SELECT 'realtime.' || (payload->>'event'), payload FROM n ORDER BY ord RETURNING id, payload
    )
    SELECT jsonb_agg(jsonb_build_object('id', id::text, 'notification', payload) ORDER BY id) INTO v_outbox FROM ins;

    v_results := v_results || jsonb_build_array(jsonb_build_object('outcome', 'stored', 'conversationId', v_conv.id,
      'folio', v_conv.folio, 'messageId', v_msg.id, 'newConversation', v_conv_created, 'reopened', v_reopened, 'outbox', v_outbox));
  END LOOP;
  RETURN v_results;
END
$fn$;
