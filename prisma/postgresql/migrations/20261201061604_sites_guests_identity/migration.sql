-- CreateEnum
CREATE TYPE "SiteIdentityMode" AS ENUM ('NONE', 'HS256', 'PUBLIC_KEY', 'JWKS');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'GUEST';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "name" TEXT,
ADD COLUMN     "siteId" TEXT,
ALTER COLUMN "email" DROP NOT NULL,
ALTER COLUMN "passwordHash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "Site" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "allowedOrigins" TEXT NOT NULL DEFAULT '[]',
    "botIds" TEXT NOT NULL DEFAULT '[]',
    "defaultBotId" TEXT,
    "allowGuests" BOOLEAN NOT NULL DEFAULT false,
    "allowAccounts" BOOLEAN NOT NULL DEFAULT true,
    "identityMode" "SiteIdentityMode" NOT NULL DEFAULT 'NONE',
    "identitySecret" TEXT,
    "identityPublicKey" TEXT,
    "identityJwksUrl" TEXT,
    "identityAlgorithms" TEXT NOT NULL DEFAULT '[]',
    "identityIssuer" TEXT,
    "identityMaxAgeSeconds" INTEGER NOT NULL DEFAULT 600,
    "disclosure" TEXT NOT NULL DEFAULT '',
    "welcome" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SiteKey" (
    "id" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SiteKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExternalIdentity" (
    "id" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExternalIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsedTokenId" (
    "siteId" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedTokenId_pkey" PRIMARY KEY ("siteId","jti")
);

-- CreateIndex
CREATE UNIQUE INDEX "SiteKey_key_key" ON "SiteKey"("key");

-- CreateIndex
CREATE INDEX "SiteKey_siteId_idx" ON "SiteKey"("siteId");

-- CreateIndex
CREATE INDEX "ExternalIdentity_userId_idx" ON "ExternalIdentity"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalIdentity_siteId_subject_key" ON "ExternalIdentity"("siteId", "subject");

-- CreateIndex
CREATE INDEX "UsedTokenId_expiresAt_idx" ON "UsedTokenId"("expiresAt");

-- CreateIndex
CREATE INDEX "User_role_lastActiveAt_idx" ON "User"("role", "lastActiveAt");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SiteKey" ADD CONSTRAINT "SiteKey_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalIdentity" ADD CONSTRAINT "ExternalIdentity_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalIdentity" ADD CONSTRAINT "ExternalIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsedTokenId" ADD CONSTRAINT "UsedTokenId_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

