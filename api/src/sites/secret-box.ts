// Site identity secrets (HS256) are needed in the clear to verify tokens, so they cannot be hashed:
// they are stored encrypted (AES-256-GCM) with a key derived from JWT_SECRET, so a copy of the
// database alone does not reveal them. They are never returned by the API.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;

  constructor(masterSecret: Uint8Array) {
    this.key = Buffer.from(hkdfSync('sha256', masterSecret, Buffer.alloc(0), 'multi-bot-chat site identity secret', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
  }

  open(sealed: string): string {
    const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  }
}
