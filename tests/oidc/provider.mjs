// A real OpenID provider for the staff sign-in tests: npm's oidc-provider (OpenID Certified),
// configured small. Started by tests/api/identity/oidc.rs as
//
//   node provider.mjs '<config JSON>'
//
// where the config is {"clients": [client metadata…], "accounts": {"<sub>": {…}}}. It listens on a
// free loopback port and prints one line, `issuer http://127.0.0.1:PORT`, once it serves.
//
// Accounts: {"email", "name", "groups": [...], "tamper": "audience" | "expired", "expired_by": s}. There is no login form: the
// interaction signs in the account named by the authorization request's `login_hint` (the test
// adds it to the URL the portal redirected to) and grants what was asked, so a test completes a
// sign-in over plain HTTP. An account with "tamper" gets its ID token re-signed with the
// provider's own key: for another audience ("audience"), or as if the provider's clock were
// behind ("expired": `exp` that many seconds ago) — validly signed tokens the portal must judge.
import http from "node:http";
import * as jose from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(process.argv[2] ?? "{}");
const accounts = config.accounts ?? {};

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients ?? [],
  jwks: { keys: [signingKey] },
  cookies: { keys: ["essay-portal-tests-only"] },
  // The portal reads the staff claim from the ID token itself, as Entra ID and Keycloak put it.
  conformIdTokenClaims: false,
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    groups: ["groups"],
  },
  features: { devInteractions: { enabled: false } },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: account.email,
          email_verified: account.email_verified ?? true,
          name: account.name ?? id,
          groups: account.groups ?? [],
        };
      },
    };
  },
});

// The portal is started after the provider, on a port chosen then: any loopback port will do for
// its registered redirect URI's path.
provider.Client.prototype.redirectUriAllowed = function (value) {
  return this.redirectUris.some((allowed) => {
    const a = new URL(allowed);
    const v = new URL(value);
    return v.hostname === "127.0.0.1" && v.protocol === a.protocol && v.pathname === a.pathname && v.search === "";
  });
};

provider.use(async (ctx, next) => {
  const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!interaction) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  let result;
  if (prompt.name === "login") {
    if (!accounts[params.login_hint]) {
      ctx.status = 400;
      ctx.body = `unknown login_hint ${params.login_hint}`;
      return undefined;
    }
    result = { login: { accountId: params.login_hint } };
  } else {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.redirect(returnTo);
  return undefined;
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== "/token" || typeof ctx.body?.id_token !== "string") return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const tamper = accounts[claims.sub]?.tamper;
  if (!tamper) return;
  const now = Math.floor(Date.now() / 1000);
  if (tamper === "audience") claims.aud = "another-application";
  // A provider whose clock is behind the portal's: its token expired `expired_by` seconds ago.
  if (tamper === "expired") {
    const by = accounts[claims.sub].expired_by;
    claims.exp = now - by;
    claims.iat = now - by - 60;
  }
  ctx.body.id_token = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: signingKey.kid })
    .sign(privateKey);
});

server.on("request", provider.callback());
process.stdout.write(`issuer ${issuer}\n`);
// The test that started it may die without a word: end with it (stdin closes).
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
