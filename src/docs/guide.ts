import type { RecordedExamples } from './examples.ts';
import type { ReferencePart } from './split.ts';

/**
 * The getting-started guide at the top of the reference (a document's `info.description`, which
 * the reference renders as its introduction, with its headings in the sidebar). Request bodies come
 * from the recorded examples, so the guide shows what the demo store really accepts. Each of the
 * reference's two documents carries the part for its audience; the whole document carries all of it.
 */
export function gettingStarted(recorded: RecordedExamples, part: ReferencePart | 'all' = 'all'): string {
  const request = (operationId: string) => {
    const body = recorded.operations[operationId]?.request;
    if (body === undefined) throw new Error(`no recorded request for ${operationId}`);
    return JSON.stringify(body, null, 2).replaceAll("'", "'\\''");
  };
  const postal = recorded.operations.listStorefrontLocationPostalCodes?.parameters?.location_id;
  const intro = `Nexus serves the Nexus Commerce API v3 from one process: this reference lists exactly the
operations it implements. Every example in it was recorded from this server answering real requests
on the demo business a fresh installation creates (\`npm install && npm start\`): the *Kaos Polos
Nexus* T-shirt, the *E-book Jualan Online*, the *Paket Mulai Jualan* bundle, the code \`HEMAT10\`.
Numeric ids in the examples (variant \`2\`, location \`${postal}\`) are those of a fresh installation.
`;
  const otherDocument = {
    storefront: `
This is the **Storefront API**: what a shop's browser and signed-in buyers call. The **Business API**
(a business's own systems, with an API key) is the other document in the selector at the top left;
\`/v3/openapi.json\` holds both.
`,
    business: `
This is the **Business API**: what a business's own systems call with an API key or OAuth token. The
**Storefront API** (a shop's browser and its buyers) is the other document in the selector at the
top left; \`/v3/openapi.json\` holds both.
`,
    all: '',
  }[part];
  const setup = `## Getting started

The first \`npm start\` prints the demo business's credentials once. Put them in your shell:

\`\`\`sh
export NEXUS=http://localhost:3000
export SK=sk_...        # business API key
export STORE_ID=1       # store id
export STORE=store_...  # store unique_id
export SFPK=sfpk_...    # storefront key
\`\`\`

Lost them? \`npm run nexus -- seed demo\` mints a new business key and prints the rest again.
`;
  const businessKey = `## Business API key

Business routes take \`Authorization: Bearer <key>\`. A **secret** key (\`sk_\`) carries every scope; a
**restricted** key (\`rk_\`, \`npm run nexus -- api-key create --business UID --scopes product:list,order:list\`)
carries only the scopes it lists, and any other route answers 403 \`insufficient_scope\` naming the
scope it needs (each operation below says which). Keys are stored hashed: they are shown once.

\`\`\`sh
curl -s $NEXUS/v3/me -H "Authorization: Bearer $SK"
curl -s "$NEXUS/v3/products?page_size=2" -H "Authorization: Bearer $SK"
curl -s $NEXUS/v3/stores/$STORE_ID -H "Authorization: Bearer $SK"
\`\`\`
`;
  const conventions = `## Conventions

Every route shares these:

- **Errors** are \`{error, error_code, message, errors}\`; \`errors\` maps each invalid field to its
  messages (422 \`validation_failed\`). Every answer carries \`X-Request-Id\`: quote it when reporting a problem.
- **Lists** page with opaque cursors: send back \`next_cursor\` (or \`previous_cursor\`) with the same
  filters; \`page_size\` is at most 25 on business lists.
- **Money** is a decimal string (\`"89000.00"\`), never a float; times are ISO 8601 in UTC.
- **Rate limits**: \`X-Ratelimit-Limit\`, \`-Remaining\` and \`-Reset\` on every answer; over budget is
  429 with \`Retry-After\`.
- **Retries**: \`Idempotency-Key: <uuid>\` on a checkout makes a retry answer the first order instead of
  creating a second.
`;
  const storefront = `## Storefront journey

A shop's browser (or its server) talks to \`/v3/stores/{store_unique_id}/public/*\` with the
storefront key in \`X-Scalev-Storefront-Api-Key\`. Browsers also send their \`Origin\`, which must be
one of the store's allowed origins (\`createStorefrontAllowedOrigin\`); from a terminal there is none.

\`\`\`sh
alias shop='curl -s -H "X-Scalev-Storefront-Api-Key: $SFPK"'
\`\`\`

**1. Browse.** Items are the store's products and bundle price options; a product's detail has its variants.

\`\`\`sh
shop "$NEXUS/v3/stores/$STORE/public/items?page_size=5"
shop "$NEXUS/v3/stores/$STORE/public/products/kaos-polos-nexus"
\`\`\`

**2. Guest token and cart.** The first cart call without a token opens a cart and answers its token in
the \`X-Scalev-Guest-Token\` response header. Send it on every later cart and checkout call.

\`\`\`sh
shop -i $NEXUS/v3/stores/$STORE/public/cart/items --json '${request('addGuestCartItem')}'
export GUEST=...          # the X-Scalev-Guest-Token header of that answer
shop $NEXUS/v3/stores/$STORE/public/cart -H "X-Scalev-Guest-Token: $GUEST"
\`\`\`

**3. Location.** The buyer's district (kecamatan) is a location id; its postal codes come with it.

\`\`\`sh
shop "$NEXUS/v3/stores/$STORE/public/locations?search=coblong%20bandung"
shop $NEXUS/v3/stores/$STORE/public/locations/${postal}/postal-codes
\`\`\`

**4. Shipping.** Options for the cart (or for \`items\` sent in the body), cheapest first; each names its
\`courier_service_id\` and the \`warehouse_unique_id\` it ships from.

\`\`\`sh
shop $NEXUS/v3/stores/$STORE/public/checkout/shipping-options -H "X-Scalev-Guest-Token: $GUEST" \\
  --json '${request('listPublicCheckoutShippingOptions')}'
\`\`\`

**5. Summary.** What checkout will charge: shipping recomputed, discount code applied, and for e-payment
the \`service_fee\`, all in \`gross_revenue\`.

\`\`\`sh
shop $NEXUS/v3/stores/$STORE/public/checkout/summary -H "X-Scalev-Guest-Token: $GUEST" \\
  --json '${request('getPublicCheckoutSummary')}'
\`\`\`

**6. Checkout.** Answers 201 with the public order: its \`secret_slug\` is the buyer's key to it, and
\`public_order_url\` / \`payment_url\` are pages this server hosts for the buyer. Sent \`items\` win over
the guest cart; without them the token's cart is the order (and is emptied).

\`\`\`sh
shop $NEXUS/v3/stores/$STORE/public/checkout -H "Idempotency-Key: $(uuidgen)" \\
  --json '${request('createPublicCheckout')}'
export SECRET_SLUG=...    # the order's secret_slug
\`\`\`

**7. Payment.** A bank-transfer order lists the accounts to pay in \`store.payment_accounts\` (with a unique
code taken off when the store uses one). For e-payment (\`va\`, \`qris\`, e-wallets…) ask for the
instructions: the order comes back with \`pg_payment_info\` (the virtual account number, the QRIS string,
the e-wallet links); calling again answers the same ones. Or send the buyer to \`payment_url\`.

\`\`\`sh
shop -X POST $NEXUS/v3/stores/$STORE/public/orders/$SECRET_SLUG/payment
shop $NEXUS/v3/stores/$STORE/public/orders/$SECRET_SLUG
\`\`\`

With the sandbox payment driver (the default) nothing is charged: the hosted order page says
*Mode uji*, and \`npm run nexus -- payments simulate --order <order_id> --paid\` plays the gateway
confirming the payment.

Signed-in buyers use the same journey under \`/v3/stores/{store_id}/customers/me/*\` with a customer
token from \`loginCustomer\` (see *Customer Auth*); \`mergeGuestCart\` keeps what they added as guests.
`;
  const sections =
    part === 'storefront'
      ? [setup, storefront, conventions]
      : part === 'business'
        ? [setup, businessKey, conventions]
        : [setup, businessKey, conventions, storefront];
  return [intro + otherDocument, ...sections].join('\n');
}
