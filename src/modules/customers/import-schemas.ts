import { Type } from '@sinclair/typebox';
import { MAX_LISTED_ERRORS } from './import.ts';

export const CustomerUploadForm = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        format: 'binary',
        description:
          'Required. The CSV file (UTF-8, comma-separated, first row names the columns): name (required), ' +
          'email, phone (one of the two required), tags (separated by `;` or `|`), notes, date_of_birth ' +
          '(YYYY-MM-DD), sex, address, postal_code, location_id. Header names are ' +
          'case-insensitive; other columns are ignored.',
      }),
    ),
  },
  { title: 'GenericUploadRequest', additionalProperties: true },
);

export const CustomerImportRowError = Type.Object(
  {
    row: Type.Integer({ description: 'Line of the file the row starts on; the header is line 1.' }),
    reasons: Type.Array(Type.String(), {
      description: 'Each problem, starting with the column it is about.',
    }),
  },
  { title: 'CustomerImportRowError' },
);

export const CustomerImportReport = Type.Object(
  {
    rows: Type.Integer({ description: 'Data rows read (the header and empty lines are not counted).' }),
    created: Type.Integer({ description: 'Customers created.' }),
    updated: Type.Integer({ description: 'Existing customers updated (matched on e-mail, else on phone).' }),
    duplicates: Type.Integer({
      description: 'Rows for a customer an earlier row of the same file already created or updated.',
    }),
    failed: Type.Integer({ description: 'Rows rejected; nothing of them was written.' }),
    errors: Type.Array(CustomerImportRowError, {
      description: `The first ${MAX_LISTED_ERRORS} failed rows, by row; \`failed\` counts them all.`,
    }),
  },
  { title: 'CustomerImportReport' },
);
