-- Hand-written (Prisma cannot express it): the full-text index behind `search` (api/src/chat/search-sqlite.ts).
-- Contentless FTS5: the text stays in "Message" only. The owner and the bot of each message are
-- indexed as tokens ('u' || hex(id), 'b' || hex(id)), so a search is one FTS5 query that intersects
-- the words' lists with the user's list and walks them newest rowid first, stopping at a page:
-- no join to sessions over every match of a common word. Only COMPLETE messages are indexed, so
-- a streaming reply's many text updates do not touch the index until it completes.
-- Caution: the triggers and rowids belong to the "Message" table. A migration that redefines it
-- (Prisma's copy-drop-rename on SQLite) must recreate them and rebuild the index (the last statement).
CREATE VIRTUAL TABLE "MessageSearch" USING fts5(
  "text", "owner", "bot",
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER "MessageSearch_insert" AFTER INSERT ON "Message" WHEN new."status" = 'COMPLETE' BEGIN
  INSERT INTO "MessageSearch" (rowid, "text", "owner", "bot")
    SELECT new.rowid, new."text", 'u' || hex(s."userId"), 'b' || hex(s."botId") FROM "ChatSession" s WHERE s."id" = new."sessionId";
END;

CREATE TRIGGER "MessageSearch_update" AFTER UPDATE OF "text", "status" ON "Message"
  WHEN old."status" = 'COMPLETE' OR new."status" = 'COMPLETE' BEGIN
  DELETE FROM "MessageSearch" WHERE rowid = old.rowid;
  INSERT INTO "MessageSearch" (rowid, "text", "owner", "bot")
    SELECT new.rowid, new."text", 'u' || hex(s."userId"), 'b' || hex(s."botId") FROM "ChatSession" s
    WHERE s."id" = new."sessionId" AND new."status" = 'COMPLETE';
END;

CREATE TRIGGER "MessageSearch_delete" AFTER DELETE ON "Message" WHEN old."status" = 'COMPLETE' BEGIN
  DELETE FROM "MessageSearch" WHERE rowid = old.rowid;
END;

INSERT INTO "MessageSearch" (rowid, "text", "owner", "bot")
  SELECT m.rowid, m."text", 'u' || hex(s."userId"), 'b' || hex(s."botId")
  FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId" WHERE m."status" = 'COMPLETE';
