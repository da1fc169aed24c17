-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "quotaMessagesPerDay" INTEGER,
ADD COLUMN     "quotaTokensPerDay" INTEGER;

-- AlterTable
ALTER TABLE "Site" ADD COLUMN     "quotaMessagesPerDay" INTEGER,
ADD COLUMN     "quotaTokensPerDay" INTEGER;

-- AlterTable
ALTER TABLE "Bot" ADD COLUMN     "disabledAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "UsageDay" (
    "userId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "messages" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "UsageDay_pkey" PRIMARY KEY ("userId","day")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyBotStats" (
    "day" TEXT NOT NULL,
    "botId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL DEFAULT '',
    "conversations" INTEGER NOT NULL DEFAULT 0,
    "userMessages" INTEGER NOT NULL DEFAULT 0,
    "replies" INTEGER NOT NULL DEFAULT 0,
    "failedReplies" INTEGER NOT NULL DEFAULT 0,
    "failuresByCode" TEXT NOT NULL DEFAULT '{}',
    "activeUsers" INTEGER NOT NULL DEFAULT 0,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "firstTokenBuckets" TEXT NOT NULL DEFAULT '[]',
    "latencyBuckets" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "DailyBotStats_pkey" PRIMARY KEY ("day","botId","siteId")
);

-- CreateTable
CREATE TABLE "DailyBotUser" (
    "day" TEXT NOT NULL,
    "botId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL DEFAULT '',
    "userId" TEXT NOT NULL,

    CONSTRAINT "DailyBotUser_pkey" PRIMARY KEY ("day","botId","siteId","userId")
);

-- CreateIndex
CREATE INDEX "AuditEntry_createdAt_idx" ON "AuditEntry"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_action_createdAt_idx" ON "AuditEntry"("action", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_createdAt_idx" ON "AuditEntry"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_createdAt_idx" ON "Message"("createdAt");

