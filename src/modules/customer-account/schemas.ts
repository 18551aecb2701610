import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';
import { CustomerProfile } from '../customers/schemas.ts';

export {
  AddressListQuery,
  CustomerAddress,
  CustomerAddressList,
  CustomerAddressRequest,
  CustomerProfileUpdateRequest,
} from '../customers/schemas.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const CustomerMeStore = Type.Object(
  {
    id: Type.Integer(),
    unique_id: Type.String(),
    name: Type.String(),
    logo: Nullable(Type.String()),
  },
  { title: 'CustomerMeStore' },
);

/** `{customer, store, is_generated_password_reset}` — getCustomerMe, updateCustomerMe and setCustomerPassword. */
export const CustomerMe = Type.Object(
  {
    customer: CustomerProfile,
    store: CustomerMeStore,
    is_generated_password_reset: Type.Boolean({
      description:
        'True while the account only has the password it was made with (or none): ask for a new one.',
    }),
  },
  { title: 'CustomerMeResponse' },
);

export const CustomerPasswordRequest = Type.Object(
  {
    password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
    current_password: Type.Optional(
      Type.String({
        maxLength: 1024,
        description:
          'Optional (the reference sends only `password`). When sent and not empty it must match the current password (422 otherwise).',
      }),
    ),
  },
  { title: 'PasswordRequest' },
);

export const CustomerMeAddressParams = Type.Object({
  store_id: Type.String({ minLength: 1, maxLength: 64, description: 'Store unique_id.' }),
  address_id: Type.String({ minLength: 1, maxLength: 32 }),
});
