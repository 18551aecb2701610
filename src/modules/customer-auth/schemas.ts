import { Type } from '@sinclair/typebox';
import { StorefrontStoreParams } from '../../http/schemas.ts';

export { NoContent } from '../../http/schemas.ts';

export const AuthParams = StorefrontStoreParams;

const Email = Type.String({ format: 'email', maxLength: 254 });
const LoginAs = Type.Union([Type.Literal('customer'), Type.Literal('owner')], {
  description:
    '`customer` (default): the customer account’s own password. `owner`: the business owner’s account ' +
    'password; the owner signs in as the business’s customer with that e-mail (created on first sight).',
});
/** Any password an account may already have (checked, never re-validated on login). */
const CurrentPassword = Type.String({ minLength: 1, maxLength: 1024 });

/** A new password: long enough to resist guessing, short enough to hash cheaply. */
export const NewCustomerPassword = Type.String({
  minLength: 8,
  maxLength: 128,
  description: '8 to 128 characters.',
});

export const LoginRequest = Type.Object(
  { email: Email, password: CurrentPassword, login_as: Type.Optional(LoginAs) },
  { title: 'CustomerLoginRequest' },
);

export const OtpVerifyRequest = Type.Object(
  {
    email: Email,
    otp: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code from the e-mail.' }),
    login_as: Type.Optional(LoginAs),
  },
  { title: 'CustomerOtpVerifyRequest' },
);

export const RefreshRequest = Type.Object(
  { refresh: Type.String({ minLength: 1, maxLength: 4096 }) },
  { title: 'JwtRefreshRequest' },
);

export const BlacklistRequest = Type.Object(
  {
    tokens: Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), {
      minItems: 1,
      maxItems: 20,
      description: 'Access and refresh tokens; tokens that are not this store’s are ignored.',
    }),
  },
  { title: 'JwtBlacklistRequest' },
);

export const ForgetPasswordRequest = Type.Object({ email: Email }, { title: 'ForgetPasswordRequest' });

export const SavePasswordRequest = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 256 }), password: NewCustomerPassword },
  { title: 'SavePasswordRequest' },
);

export const CustomerTokens = Type.Object(
  {
    access: Type.String(),
    refresh: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Access token lifetime in seconds (900).' }),
    refresh_expires_in: Type.Integer({ description: 'Refresh token lifetime in seconds (2592000).' }),
    store_unique_id: Type.String(),
  },
  { title: 'CustomerJwtResponse' },
);

export const OtpSent = Type.Object({ message: Type.String() }, { title: 'CustomerOtpSentResponse' });

export const LoginResponse = Type.Union([CustomerTokens, OtpSent], { title: 'CustomerLoginResponse' });
