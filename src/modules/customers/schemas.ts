import { Type } from '@sinclair/typebox';
import { Collection, Nullable, PageQuery, Paginated, Timestamp } from '../../http/schemas.ts';

/** Fields the customer may see and change about themselves (the contract's CustomerProfileUpdateRequest). */
const profileFields = {
  name: Type.String({ maxLength: 255 }),
  phone: Nullable(Type.String({ maxLength: 30 })),
  date_of_birth: Nullable(Type.String({ maxLength: 10, description: '`YYYY-MM-DD`.' })),
  sex: Nullable(Type.String({ maxLength: 32 })),
  is_unsubscribe: Type.Boolean({ description: 'True when the customer opted out of marketing e-mail.' }),
};

/** The customer as they see themselves (`GET /customers/me`); the business object adds its own fields. */
const customerProfileProperties = {
  id: Type.Integer(),
  uuid: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  date_of_birth: Nullable(Type.String({ description: '`YYYY-MM-DD`.' })),
  sex: Nullable(Type.String()),
  is_unsubscribe: Type.Boolean(),
  status: Type.String(),
  confirmed_at: Nullable(Timestamp),
  created_at: Timestamp,
  last_updated_at: Timestamp,
};

export const CustomerProfile = Type.Object(customerProfileProperties, { title: 'CustomerProfile' });

export const BusinessCustomer = Type.Object(
  {
    ...customerProfileProperties,
    store_id: Nullable(Type.Integer({ description: 'The store the customer first came through.' })),
    notes: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    has_password: Type.Boolean({ description: 'True once the customer set a storefront password.' }),
  },
  { title: 'BusinessCustomer' },
);

export const BusinessCustomerList = Paginated(BusinessCustomer, 'BusinessCustomerListResponse');
export const BusinessCustomerCount = Type.Object({ total: Type.Integer() }, { title: 'CountResponse' });
export const BusinessCustomerTagList = Collection(Type.String(), 'BusinessCustomerTagListResponse');

const customerFilters = {
  search: Type.Optional(
    Type.String({ maxLength: 100, description: 'Case-insensitive partial match on name, e-mail or phone.' }),
  ),
  tags: Type.Optional(
    Type.String({
      maxLength: 1000,
      description: 'Comma-separated tags; customers having any of them are listed.',
    }),
  ),
};

export const ListBusinessCustomersQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  ...customerFilters,
});
export const CountBusinessCustomersQuery = Type.Object(customerFilters);
export const ListBusinessCustomerTagsQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Case-insensitive partial match.' })),
});

const Email = Type.String({ maxLength: 254, description: 'Stored lower-cased; unique within the business.' });
const TagList = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 });

const businessFields = {
  email: Nullable(Email),
  notes: Nullable(Type.String({ maxLength: 5000 })),
  tags: TagList,
};

export const CreateBusinessCustomerRequest = Type.Object(
  {
    name: profileFields.name,
    email: Type.Optional(businessFields.email),
    phone: Type.Optional(profileFields.phone),
    date_of_birth: Type.Optional(profileFields.date_of_birth),
    sex: Type.Optional(profileFields.sex),
    is_unsubscribe: Type.Optional(profileFields.is_unsubscribe),
    notes: Type.Optional(businessFields.notes),
    tags: Type.Optional(businessFields.tags),
  },
  { title: 'BusinessCustomerCreateRequest' },
);

export const UpdateBusinessCustomerRequest = Type.Object(
  {
    name: Type.Optional(profileFields.name),
    email: Type.Optional(businessFields.email),
    phone: Type.Optional(profileFields.phone),
    date_of_birth: Type.Optional(profileFields.date_of_birth),
    sex: Type.Optional(profileFields.sex),
    is_unsubscribe: Type.Optional(profileFields.is_unsubscribe),
    notes: Type.Optional(businessFields.notes),
    tags: Type.Optional(businessFields.tags),
  },
  { title: 'BusinessCustomerUpdateRequest' },
);

export const UpdateBusinessCustomerTagsRequest = Type.Object(
  {
    tags: Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 200,
      description: 'The complete tag list.',
    }),
  },
  { title: 'BusinessCustomerTagsRequest' },
);

/** The customer's own profile update: e-mail is read-only (sent unchanged it passes, changed it is a 422). */
export const CustomerProfileUpdateRequest = Type.Object(
  {
    name: Type.Optional(profileFields.name),
    phone: Type.Optional(profileFields.phone),
    date_of_birth: Type.Optional(profileFields.date_of_birth),
    sex: Type.Optional(profileFields.sex),
    is_unsubscribe: Type.Optional(profileFields.is_unsubscribe),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254, description: 'Read-only.' }))),
  },
  { title: 'CustomerProfileUpdateRequest', additionalProperties: false },
);

export const BusinessCustomerParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, description: 'Customer id (numeric) or uuid.' }),
});

export const BusinessCustomerAddressListParams = Type.Object({
  customer_id: Type.String({ minLength: 1, maxLength: 64, description: 'Customer id (numeric) or uuid.' }),
});

export const BusinessCustomerAddressParams = Type.Object({
  customer_id: BusinessCustomerAddressListParams.properties.customer_id,
  id: Type.String({ minLength: 1, maxLength: 32, description: 'Address id.' }),
});

export const AddressListQuery = Type.Object(PageQuery({ max: 25, default: 25 }));

const LocationId = Type.Unsafe<number | string | null>({
  type: ['integer', 'string', 'null'],
  maxLength: 20,
  description: 'Delivery location (subdistrict) id.',
});

/** The contract's CustomerAddressRequest: every field optional on the wire; create needs location and address. */
export const CustomerAddressRequest = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    location_id: Type.Optional(LocationId),
    address: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    postal_code: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    is_default: Type.Optional(
      Type.Boolean({
        description: 'true makes this the default address (the previous default stops being one).',
      }),
    ),
  },
  { title: 'CustomerAddressRequest' },
);

export const CustomerAddressLocation = Type.Object(
  {
    id: Type.Integer(),
    subdistrict_name: Type.String(),
    city_name: Type.String(),
    province_name: Type.String(),
  },
  { title: 'CustomerAddressLocation' },
);

export const CustomerAddress = Type.Object(
  {
    id: Type.Integer(),
    name: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
    location: Nullable(CustomerAddressLocation),
    address: Nullable(Type.String()),
    postal_code: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    is_default: Type.Boolean({
      description: "The customer's default address (exactly one while any exist).",
    }),
  },
  { title: 'CustomerAddress' },
);

export const CustomerAddressList = Paginated(CustomerAddress, 'CustomerAddressListResponse');
