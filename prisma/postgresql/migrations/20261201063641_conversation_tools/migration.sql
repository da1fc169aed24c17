-- CreateEnum
CREATE TYPE "FeedbackRating" AS ENUM ('UP', 'DOWN');

-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "starters" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "topP" DOUBLE PRECISION,
ADD COLUMN     "welcome" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "ChatSession" ADD COLUMN     "model" TEXT;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "onPath" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "selected" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "MessageFeedback" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "botId" TEXT NOT NULL,
    "rating" "FeedbackRating" NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MessageFeedback_botId_updatedAt_idx" ON "MessageFeedback"("botId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageFeedback_messageId_userId_key" ON "MessageFeedback"("messageId", "userId");

-- CreateIndex
CREATE INDEX "Message_parentId_idx" ON "Message"("parentId");

-- AddForeignKey
ALTER TABLE "MessageFeedback" ADD CONSTRAINT "MessageFeedback_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: a user message's parent is now the message before it on its path, so that every
-- message of a chat forms one tree (branches part where two messages share a parent). Chats written
-- before had no parent on user messages: they were one line, so the parent is the previous position.
UPDATE "Message" SET "parentId" = (
  SELECT p."id" FROM "Message" p WHERE p."sessionId" = "Message"."sessionId" AND p."position" = "Message"."position" - 1
) WHERE "role" = 'USER' AND "parentId" IS NULL AND "position" > 1;
