-- AlterTable
ALTER TABLE "ChatSession" ADD COLUMN "model" TEXT;

-- CreateTable
CREATE TABLE "MessageFeedback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "botId" TEXT NOT NULL,
    "rating" TEXT NOT NULL,
    "reason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MessageFeedback_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- AlterTable (hand-written: ADD COLUMN rather than the redefinition prisma migrate diff writes,
-- which clashes with other migrations changing the same tables)
ALTER TABLE "Bot" ADD COLUMN "topP" REAL;
ALTER TABLE "Bot" ADD COLUMN "welcome" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Bot" ADD COLUMN "starters" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Message" ADD COLUMN "selected" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Message" ADD COLUMN "onPath" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Message" ADD COLUMN "deletedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Message_parentId_idx" ON "Message"("parentId");
-- CreateIndex
CREATE INDEX "MessageFeedback_botId_updatedAt_idx" ON "MessageFeedback"("botId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageFeedback_messageId_userId_key" ON "MessageFeedback"("messageId", "userId");

-- Hand-written: a user message's parent is now the message before it on its path, so that every
-- message of a chat forms one tree (branches part where two messages share a parent). Chats written
-- before had no parent on user messages: they were one line, so the parent is the previous position.
UPDATE "Message" SET "parentId" = (
  SELECT p."id" FROM "Message" p WHERE p."sessionId" = "Message"."sessionId" AND p."position" = "Message"."position" - 1
) WHERE "role" = 'USER' AND "parentId" IS NULL AND "position" > 1;
