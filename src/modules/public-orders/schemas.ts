import { type Static, Type } from '@sinclair/typebox';
import { Nullable, StorefrontStoreParams, Timestamp } from '../../http/schemas.ts';
import { MAX_TRANSFER_PROOF_BYTES, TRANSFER_PROOF_TYPES, type TransferProofType } from './transfer-proof.ts';

export const PublicOrderParams = Type.Object({
  store_id: StorefrontStoreParams.properties.store_id,
  // Slugs are 40 characters; a longer one finds no order (404). The router refuses path
  // parameters over 100 characters (414) before this schema sees them.
  secret_slug: Type.String({ minLength: 1, maxLength: 100, description: 'The order’s secret_slug.' }),
});

/**
 * The buyer-safe fields the reference lets a buyer change. Other properties are allowed by the
 * reference ("additional property: any") and ignored: status, totals, items and addresses are
 * never a buyer's to change here.
 */
export const UpdatePublicOrderRequest = Type.Optional(
  Type.Object(
    {
      transferproof_url: Type.Optional(
        Nullable(
          Type.String({
            maxLength: 2048,
            description: 'The `file_url` answered by transfer-proof-upload for this order; null removes it.',
          }),
        ),
      ),
      transfer_time: Type.Optional(
        Nullable(
          Type.String({ format: 'date-time', maxLength: 64, description: 'When the buyer transferred.' }),
        ),
      ),
      financial_entity_id: Type.Optional(
        Nullable(
          Type.Integer({
            minimum: 1,
            maximum: 2_147_483_647,
            description: 'Financial entity selected from store.payment_accounts[].financial_entity.id.',
          }),
        ),
      ),
      payment_account: Type.Optional(
        Nullable(
          Type.String({
            maxLength: 64,
            description:
              'Payment account unique ID selected by the buyer (store.payment_accounts[].unique_id).',
          }),
        ),
      ),
      payment_account_holder: Type.Optional(
        Nullable(Type.String({ maxLength: 100, description: 'Name on the account the buyer paid from.' })),
      ),
      payment_account_number: Type.Optional(
        Nullable(Type.String({ maxLength: 50, description: 'Number of the account the buyer paid from.' })),
      ),
      notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    },
    { title: 'UpdatePublicOrderRequest' },
  ),
);
export type UpdatePublicOrderInput = NonNullable<Static<typeof UpdatePublicOrderRequest>>;

export const TransferProofUploadRequest = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    content_type: Type.Unsafe<TransferProofType>({
      type: 'string',
      enum: Object.keys(TRANSFER_PROOF_TYPES),
    }),
    content_length: Type.Integer({
      minimum: 1,
      maximum: MAX_TRANSFER_PROOF_BYTES,
      description: 'File size in bytes. Maximum 10 MB.',
    }),
  },
  { title: 'TransferProofUploadRequest' },
);
export type TransferProofUploadInput = Static<typeof TransferProofUploadRequest>;

export const TransferProofUpload = Type.Object(
  {
    upload_url: Type.String({
      format: 'uri',
      description:
        'Signed, short-lived URL: PUT the file here with the same Content-Type and at most content_length bytes.',
    }),
    file_url: Type.String({
      format: 'uri',
      description: 'Stable address of the file; send it as transferproof_url when updating the order.',
    }),
    expires_at: Timestamp,
  },
  { title: 'TransferProofUpload' },
);
