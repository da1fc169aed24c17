-- CreateIndex
CREATE INDEX "ChatSession_userId_lastMessageAt_id_idx" ON "ChatSession"("userId", "lastMessageAt", "id");

