import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Paginated, SortDirection } from '../../http/schemas.ts';

export const User = Type.Object(
  { id: Type.Integer(), email: Type.String(), name: Type.String(), phone: Nullable(Type.String()) },
  { title: 'User' },
);

export const Business = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String({ description: 'The b_uid that selects this business on OAuth calls.' }),
    username: Type.String(),
    account_holder: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
  },
  { title: 'Business' },
);

const ConnectedBusiness = Type.Composite([Business, Type.Object({ scopes: Type.Array(Type.String()) })], {
  title: 'ConnectedBusiness',
});

export const Identity = Type.Object(
  {
    auth_method: Type.Union([Type.Literal('api_key'), Type.Literal('oauth')]),
    user: Nullable(User),
    oauth_application: Nullable(
      Type.Object(
        { id: Type.Integer(), name: Type.String(), client_id: Type.String() },
        { title: 'OAuthApplication' },
      ),
    ),
    business: Nullable(Business),
    connected_businesses: Type.Array(ConnectedBusiness),
    api_key: Nullable(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        type: Type.Union([Type.Literal('secret'), Type.Literal('restricted')]),
        scopes: Type.Array(Type.String(), { description: '`*` for secret keys, which carry every scope.' }),
        expires_at: Nullable(Type.String({ format: 'date-time' })),
      }),
    ),
  },
  { title: 'AuthenticatedIdentity' },
);

export const BusinessUser = Type.Object(
  {
    id: Type.Integer(),
    business: Business,
    user_id: Type.Integer(),
    business_phone: Nullable(Type.String()),
    is_verified: Type.Boolean(),
    is_locked: Type.Boolean(),
    role: Type.Object({ id: Type.Integer(), name: Type.String(), is_owner: Type.Boolean() }),
    metadata: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'BusinessUser' },
);

export const BusinessUserList = Paginated(BusinessUser, 'BusinessUserListResponse');

export const ListBusinessUsersQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  sort_direction: Type.Optional(SortDirection),
  search: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Filter memberships by business username or account holder.',
    }),
  ),
  business_name: Type.Optional(
    Type.String({ maxLength: 200, description: 'Filter memberships by business account holder.' }),
  ),
});

export const LeaveBusinessRequest = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) });

export const AcceptInvitationRequest = Type.Object({
  business_phone: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
});
