import { Type } from '@sinclair/typebox';
import { Collection, PageQuery, Paginated, StorefrontStoreParams } from '../../http/schemas.ts';

/**
 * Region ids are PostgreSQL `integer`s: the upper bound turns an oversized id into a 422 instead
 * of a database range error. Query strings arrive as text, so "31" and 31 are both accepted.
 */
const RegionId = (description: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, description });

/** Long enough for "subdistrict, city, province" and a kelurahan; anything longer is not a place name. */
const Search = (description: string) => Type.Optional(Type.String({ maxLength: 200, description }));

const LocationSearch = Search(
  'Words matched against province, city, subdistrict and urban (kelurahan/desa) names; every word must match.',
);

export const Location = Type.Object(
  {
    id: Type.Integer({ description: 'Legacy numeric location ID (the subdistrict code without dots).' }),
    province_id: Type.Integer(),
    province_name: Type.String(),
    city_id: Type.Integer(),
    city_name: Type.String(),
    subdistrict_name: Type.String(),
    display: Type.String({ description: 'Subdistrict, city, province.' }),
    name: Type.String({
      description: 'The subdistrict name again (`subdistrict_name`), as subdistrict pickers read it.',
    }),
  },
  { title: 'Location' },
);

export const Province = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    province_id: Type.Integer({ description: 'Same as `id`, under the name storefront clients read.' }),
    province_name: Type.String({ description: 'Same as `name`, under the name storefront clients read.' }),
  },
  { title: 'Province' },
);

export const City = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    province_id: Type.Integer(),
    province_name: Type.String(),
    city_id: Type.Integer({ description: 'Same as `id`, under the name storefront clients read.' }),
    city_name: Type.String({ description: 'Same as `name`, under the name storefront clients read.' }),
  },
  { title: 'City' },
);

export const PostalCode = Type.Object(
  {
    postal_code: Type.String(),
    urban: Type.String(),
    location_id: Type.Integer(),
    id: Type.Integer({
      description:
        'This installation’s id of the row (a postal code may serve several urban villages): a list key, not something to send.',
    }),
  },
  { title: 'PostalCode' },
);

export const LocationPage = Paginated(Location, 'ListLocationsResponseBody');
export const ProvinceList = Collection(Province, 'ProvinceListResponse');
export const CityList = Collection(City, 'CityListResponse');
export const PostalCodeList = Collection(PostalCode, 'PostalCodeListResponse');

export const StorefrontParams = StorefrontStoreParams;

export const LocationParams = Type.Object({ location_id: RegionId('Legacy numeric location ID.') });

export const StorefrontLocationParams = Type.Object({
  store_id: StorefrontStoreParams.properties.store_id,
  location_id: RegionId('Legacy numeric location ID.'),
});

export const LocationListQuery = Type.Object({
  ...PageQuery({ max: 25, default: 25 }),
  search: LocationSearch,
});

export const StorefrontLocationQuery = Type.Object({
  search: LocationSearch,
  ...PageQuery({ max: 100, default: 25 }),
});

export const StorefrontProvinceQuery = Type.Object({ search: Search('Optional province name search.') });

export const StorefrontCityQuery = Type.Object({
  province_id: Type.Optional(
    RegionId('Province ID from /public/locations/provinces (integer or numeric string).'),
  ),
  search: Search('Optional city name search within the selected province.'),
});

export const StorefrontSubdistrictQuery = Type.Object({
  city_id: Type.Optional(RegionId('City ID from /public/locations/cities (integer or numeric string).')),
  search: Search('Optional subdistrict name search within the selected city.'),
  ...PageQuery({ max: 100, default: 25 }),
});

export const PostalCodeQuery = Type.Object({
  search: Search('Optional postal code search (prefix) within the selected location.'),
});
