// POST /auth/register and POST /auth/login: bearer tokens for the REST API (and GraphQL: the same tokens).
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { type AuthResult, registration } from '../auth/auth-service.ts';
import { RestError } from './errors.ts';
import { named, operation } from './operation.ts';

const Registration = named('Registration', z.strictObject(registration.shape));

// The OAuth 2.0 password grant (RFC 6749 4.3.2) as form fields; grant_type, scope and the client
// fields that generic OAuth clients send are accepted and ignored.
const PasswordGrant = named(
  'PasswordGrant',
  z.strictObject({
    username: z.string().min(1).describe('The e-mail address.'),
    password: z.string().min(1),
    grant_type: z.literal('password').optional(),
    scope: z.string().optional(),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
  }),
);

const Token = named(
  'Token',
  z.strictObject({
    access_token: z.string().describe('Send as "Authorization: Bearer <access_token>".'),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds until the access token expires.'),
    refresh_token: z.string().describe('Single use: exchange it for a new pair with the GraphQL mutation refreshToken.'),
  }),
  'An OAuth 2.0 token response (RFC 6749 5.1).',
);

function token(result: AuthResult): z.output<typeof Token> {
  return {
    access_token: result.accessToken,
    token_type: 'bearer',
    expires_in: Math.max(0, Math.round((result.accessTokenExpiresAt.getTime() - Date.now()) / 1000)),
    refresh_token: result.refreshToken,
  };
}

export const authOperations = [
  operation({
    method: 'POST',
    path: '/auth/register',
    tag: 'Auth',
    summary: 'Create an account',
    auth: false,
    body: { schema: Registration },
    responses: { 200: { description: 'Signed in as the new user.', schema: Token } },
    errors: { 400: 'The body is not JSON, or the e-mail address is already registered.', 429: 'Too many sign-ups from this address.' },
    async handle({ app, ip }, { body }) {
      await app.limits.guardRegister(ip);
      try {
        return { status: 200, body: token(await app.auth.register(body)) };
      } catch (error) {
        // The contract this API was specified with answers an address already taken with 400.
        if (error instanceof GraphQLError && error.extensions?.code === 'CONFLICT') throw new RestError(400, error.message);
        throw error;
      }
    },
  }),
  operation({
    method: 'POST',
    path: '/auth/login',
    tag: 'Auth',
    summary: 'Sign in (OAuth 2.0 password grant)',
    description: 'Form-encoded `username` (the e-mail address) and `password`, as OAuth 2.0 password-flow clients send them.',
    auth: false,
    body: { schema: PasswordGrant, form: true },
    responses: { 200: { description: 'Signed in.', schema: Token } },
    errors: { 401: 'Wrong e-mail or password.', 429: 'Too many attempts from this address, or too many wrong passwords for this account.' },
    async handle({ app, ip }, { body }) {
      const credentials = { email: body.username, password: body.password };
      return { status: 200, body: token(await app.limits.guardLogin(ip, body.username, () => app.auth.login(credentials))) };
    },
  }),
];
