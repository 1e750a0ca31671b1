import { z } from 'zod';
import {
  AreaParams,
  AreaQuery,
  BoundaryParams,
  ChoroplethQuery,
  ExportQuery,
  Filters,
  GapsQuery,
  InstitutionsQuery,
  TimeseriesQuery,
} from './schemas/filters';

interface Operation {
  path: string;
  summary: string;
  query?: z.ZodObject;
  params?: z.ZodObject;
  response: string;
}

/** Every public endpoint, described by the same zod schemas that validate it. */
const OPERATIONS: Operation[] = [
  { path: '/api/health', summary: 'Liveness', response: '`{ "status": "ok" }`' },
  {
    path: '/api/meta',
    summary: 'Slugs, names (id/en), date extent, boundary URLs and sources',
    response: 'metadata',
  },
  {
    path: '/api/summary',
    summary: 'Totals for the filters',
    query: Filters,
    response: 'packages by aid type, households reached, areas reached, need, coverage, gap',
  },
  {
    path: '/api/choropleth',
    summary: 'One row per region of a level, also regions without aid',
    query: ChoroplethQuery,
    response:
      '`{ level, rows: [{ code, name, need, packages, households_reached, coverage, gap, … }] }`',
  },
  {
    path: '/api/gaps',
    summary: 'Uncovered and underserved regions ranked by gap',
    query: GapsQuery,
    response: '`{ total, rows: [...] }` ranked by gap, largest first',
  },
  {
    path: '/api/timeseries',
    summary: 'Packages per aid type per day or week, households reached',
    query: TimeseriesQuery,
    response: '`{ series: [{ date, packages, new_households, households_reached }] }`',
  },
  {
    path: '/api/areas/{code}',
    summary: 'Everything about one region',
    params: AreaParams,
    query: AreaQuery,
    response: 'region, breadcrumbs, summary, by_aggregator, children, trend, institutions, covid',
  },
  {
    path: '/api/institutions',
    summary: 'Institutions as GeoJSON points with the aid they received',
    query: InstitutionsQuery,
    response: 'GeoJSON FeatureCollection',
  },
  {
    path: '/api/boundaries/{level}',
    summary: 'Web geometry of a level',
    params: BoundaryParams,
    response: 'GeoJSON FeatureCollection, `properties.code` = region code',
  },
  {
    path: '/api/export',
    summary: 'The choropleth as CSV or GeoJSON',
    query: ExportQuery,
    response: 'text/csv or application/geo+json attachment',
  },
];

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

function parameters(schema: z.ZodObject | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path',
    schema: z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }));
}

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Peta Kolaborasi API',
      version,
      description:
        'Need versus aid for city-wide social-aid collaboration (Jakarta KSBB 2020). Dates are YYYY-MM-DD and inclusive; list parameters repeat or use commas; only verified records count.',
    },
    paths: Object.fromEntries(
      OPERATIONS.map((op) => [
        op.path,
        {
          get: {
            summary: op.summary,
            parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
            responses: {
              200: { description: op.response },
              400: {
                description: 'Invalid parameters',
                content: { 'application/json': { schema: ERROR } },
              },
              404: { description: 'Not found', content: { 'application/json': { schema: ERROR } } },
            },
          },
        },
      ]),
    ),
  };
}
