import { Type } from '@sinclair/typebox';
import { BusinessStoreParams, Collection, Timestamp } from '../../http/schemas.ts';

const CreatedBy = Type.Union([
  Type.Object({
    id: Type.Integer(),
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
  }),
  Type.Null(),
]);

const Status = Type.Union([Type.Literal('active'), Type.Literal('revoked')]);

export const StorefrontPublicApiKey = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    token: Type.Union([Type.String(), Type.Null()], { description: 'Present only while the key is active.' }),
    status: Status,
    store_id: Type.Integer(),
    created_by: CreatedBy,
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'StorefrontPublicApiKey' },
);

export const StorefrontAllowedOrigin = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    origin: Type.String({ format: 'uri' }),
    status: Status,
    store_id: Type.Integer(),
    created_by: CreatedBy,
    inserted_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'StorefrontAllowedOrigin' },
);

export const StorefrontPublicApiKeyList = Collection(
  StorefrontPublicApiKey,
  'StorefrontPublicApiKeyListResponse',
);
export const StorefrontAllowedOriginList = Collection(
  StorefrontAllowedOrigin,
  'StorefrontAllowedOriginListResponse',
);

export const StoreParams = BusinessStoreParams;
export const StoreItemParams = Type.Object({
  store_id: BusinessStoreParams.properties.store_id,
  id: Type.String({ maxLength: 64 }),
});

export const StorefrontAllowedOriginRequest = Type.Object(
  {
    origin: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Exact http or https origin with no path, query, or fragment.',
    }),
  },
  { title: 'StorefrontAllowedOriginRequest' },
);
