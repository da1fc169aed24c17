-- Hand-written (Prisma cannot express it): the full-text index behind search (api/src/chat/search-postgres.ts).
-- A GIN index on the tsvector of COMPLETE messages, with the simple configuration: no stemming, like
-- the unicode61 tokenizer on SQLite, so both databases find the same messages. An expression index
-- rather than a stored generated column: the per-message path reads messages with SELECT * (see
-- message-store.ts), and a stored vector would travel with every history page, send and event.
-- The search query repeats the expression and the predicate exactly, so the planner uses the index.
CREATE INDEX "Message_search_idx" ON "Message" USING GIN (to_tsvector('simple', "text")) WHERE "status" = 'COMPLETE';
