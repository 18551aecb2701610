import path from 'node:path';
import { defaultPostalCodesFile } from '../../lib/paths.ts';
import { importPostalCodes } from '../../modules/locations/postal-codes.ts';
import { type Command, report } from '../command.ts';

export const locationCommands: Command[] = [
  {
    name: ['locations', 'import'],
    summary: 'Import postal codes (with urban names) and attach them to delivery locations.',
    details: [
      'FILE is a CSV with the columns urban, sub_district, city, province_code and postal_code, like',
      'id-postal-codes.csv; plain, gzip (.gz) or brotli (.br). Default: the file the repository ships,',
      'src/modules/locations/reference/id-postal-codes.csv.gz (or $NEXUS_POSTAL_CODES_CSV).',
      'Rows are matched to subdistricts by name; re-running adds only what is missing.',
    ].join('\n'),
    positionals: [
      { name: 'FILE', description: 'CSV file to import (.csv, .csv.gz or .csv.br)', required: false },
    ],
    options: { json: { type: 'boolean', description: 'Print one JSON object instead of text' } },
    run: async (ctx, values, positionals) => {
      const file = path.resolve(positionals[0] ?? defaultPostalCodesFile());
      const db = (await ctx.database()).db;
      const started = Date.now();
      const result = await importPostalCodes(db, file, {
        onProgress: (rows) => {
          if (!values.json && ctx.progress.isTTY)
            ctx.progress.write(`\r  ${rows.toLocaleString()} rows read`);
        },
      });
      if (!values.json && ctx.progress.isTTY) ctx.progress.write('\n');
      report(ctx, Boolean(values.json), { file, ...result, seconds: (Date.now() - started) / 1000 }, [
        `Imported ${file}`,
        `  rows ${result.rows}, matched ${result.matched}, new postal codes ${result.inserted}, unmatched ${result.unmatched}`,
        ...(result.unmatchedSamples.length
          ? ['  first unmatched rows:', ...result.unmatchedSamples.slice(0, 5).map((l) => `    ${l}`)]
          : []),
      ]);
    },
  },
];
