// A real OpenID Connect provider (panva/node-oidc-provider, pinned in package.json) on loopback, for the pytest
// suite only. Started and stopped by tests/oidc_support.py (OidcProvider); never used outside the tests.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json:
//   {"port": 0,                      // 0 = any free port (the issuer then carries the port the OS picked)
//    "issuer_host": "127.0.0.1",     // host in the issuer URL; the server always listens on 127.0.0.1
//    "clients": [{"client_id": "planner", "client_secret": "s3cret",
//                 "redirect_uris": ["http://127.0.0.1:5000/auth/callback"],
//                 "post_logout_redirect_uris": ["http://127.0.0.1:5000/"],
//                 ...any other client metadata, e.g. "token_endpoint_auth_method": "client_secret_post"}],
//    "accounts": {"alice": {"email": "alice@example.org", "email_verified": true, "name": "Alice"}},
//    "id_token_ttl": 600,            // seconds (default 600)
//    "confirm_logout": false,        // true = show the library's "Do you want to sign-out" page (default: auto-confirm)
//    "exit_with_stdin": false}       // true = exit when stdin closes (oidc_support.py sets it, with stdin=PIPE)
//
// Prints exactly one line to stdout, "READY http://127.0.0.1:PORT" (the issuer), once it accepts connections;
// everything else (library notices and warnings, request errors) goes to stderr. Exits on SIGTERM/SIGINT, and
// with exit_with_stdin when its stdin closes (so it never outlives the Python process that started it).
//
// What the provider does:
//   - authorization code flow only, PKCE required for every client, S256 only; scopes openid email profile;
//   - ID tokens signed RS256 with a key generated at start (jwks_uri serves it), lifetime id_token_ttl,
//     carrying the account's claims (email, email_verified, and name/preferred_username if given) directly; a claim
//     given as null is left out (email_verified: null: a provider that never says whether it verified the email);
//   - the login typed is the account id (sub). Any password is accepted. A login missing from "accounts" still
//     signs in, with email "<login>@unknown.invalid" and email_verified true;
//   - consent is granted automatically (no consent page);
//   - RP-initiated logout at end_session_endpoint (/session/end): GET or POST with any of client_id,
//     post_logout_redirect_uri (must be registered for that client; needs client_id or id_token_hint),
//     id_token_hint, state, logout_hint, ui_locales. No id_token_hint needed. The confirmation is submitted
//     automatically (unless confirm_logout), then the browser lands on post_logout_redirect_uri (?state=...)
//     or, without one, on the library's "Sign-out Success" page. With confirm_logout the library's page
//     "Logout Request" stays: click 'button[name="logout"]' ("Yes, sign me out") to end the session.
//
// Driving the sign-in from a browser (Playwright), the library's devInteractions pages:
//   1. go to the RP's sign-in (or straight to the authorization_endpoint) -> lands on /interaction/<uid>
//   2. page.fill('input[name="login"]', "alice")
//   3. page.fill('input[name="password"]', "anything")
//   4. page.click('button[type="submit"]')          (text "Sign-in")
//   5. the browser is redirected to redirect_uri?code=...&state=...&iss=... (no consent page)
// The session cookie persists in the browser context: a second authorization in the same context skips the
// login page unless the RP sends prompt=login.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

// The library prints notices with console.info (stdout); keep stdout for the READY line alone.
console.info = (...args) => console.error(...args);
console.log = (...args) => console.error(...args);

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node provider.mjs CONFIG.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const accounts = config.accounts || {};
const idTokenTtl = Number(config.id_token_ttl ?? 600);
const issuerHost = config.issuer_host || '127.0.0.1';
const confirmLogout = Boolean(config.confirm_logout);

const SCOPES = ['openid', 'email', 'profile'];
const CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
};

function accountClaims(login) {
  const known = Object.prototype.hasOwnProperty.call(accounts, login) ? accounts[login] : null;
  const claims = known
    ? { email_verified: true, ...known }
    : { email: `${login}@unknown.invalid`, email_verified: true };
  // a claim set to null in the config is left out of the tokens (a provider that never says email_verified)
  const given = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== null));
  return { preferred_username: login, ...given, sub: login };
}

const clients = (config.clients || []).map((client) => ({
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  post_logout_redirect_uris: [],
  ...client,
}));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', use: 'sig', alg: 'RS256' };

function autoSubmitPage(ctx, form) {
  // The form the library built (id="op.logoutForm", with its xsrf input), confirmed with logout=yes and
  // submitted on load; the button is there for a browser without JavaScript.
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.body = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Signing out</title></head>
<body>
  ${confirmed}
  <button type="submit" form="op.logoutForm" id="logout-confirm">Yes, sign me out</button>
  <script>document.getElementById('op.logoutForm').submit();</script>
</body></html>`;
}

// Listen first, so that with port 0 the issuer can carry the port the OS picked.
let handler = (req, res) => { res.statusCode = 503; res.end('starting'); };
const server = createServer((req, res) => handler(req, res));
server.listen(Number(config.port || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://${issuerHost}:${port}`;

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingKey] },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      // SameSite=None cookies must be Secure, which plain http cannot set; lax works for top-level navigation.
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    scopes: SCOPES,
    claims: CLAIMS,
    // Put the scope's claims (email...) in the ID token of the code flow too, not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    responseTypes: ['code'],
    ttl: { IdToken: idTokenTtl },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        ...(confirmLogout ? {} : { logoutSource: async (ctx, form) => autoSubmitPage(ctx, form) }),
      },
    },
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() { return accountClaims(sub); },
      };
    },
    // Consent is implied for our clients: every authorization gets a grant with all it asks for.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!grant) {
        grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      }
      grant.addOIDCScope(SCOPES.join(' '));
      grant.addOIDCClaims(Object.values(CLAIMS).flat());
      await grant.save();
      return grant;
    },
    async renderError(ctx, out, error) {
      console.error('oidc-provider error page:', out, error?.stack || error);
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>oops! something went wrong</title></head>
<body><h1>oops! something went wrong</h1><pre id="error">${JSON.stringify(out, null, 2)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre></body></html>`;
    },
  });

  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'discovery.error',
    'jwks.error', 'userinfo.error', 'introspection.error', 'revocation.error']) {
    provider.on(event, (ctx, err) => console.error(event, err?.name, err?.message, err?.error_description || ''));
  }

  handler = provider.callback();
  process.stdout.write(`READY ${issuer}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (config.exit_with_stdin) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
