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
import { AuditQuery } from './routes/audit';
import { OverlapParams, RecordIdParam, RecordsQuery, TransitionBody } from './routes/records';

interface Operation {
  path: string;
  method?: 'get' | 'post' | 'delete';
  summary: string;
  query?: z.ZodType;
  params?: z.ZodType;
  response: string;
  /** Roles that may call it; absent = public. */
  roles?: string[];
  requestBody?: Record<string, unknown>;
  /** The success status when not 200 (GET) or 201 (POST). */
  status?: number;
  /** Extra answers besides 200/400/404. */
  responses?: Record<number, string>;
}

const RECORD_FIELDS =
  '`{ id, external_id, status, rw_code, kelurahan_code, kelurahan_name, rw_name, flags, batch_id, aggregator, aggregator_name, date, aid_type, quantity, recipient_type, location_kind, lon, lat, version, received_at, reason, note }`';

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
  {
    path: '/api/session',
    summary: 'The signed-in caller (role, organisation, kelurahan scope)',
    response: '`{ principal: { role, org, org_name, kelurahan, label } }`; 401 when not signed in',
    roles: ['any'],
  },
  {
    path: '/api/session',
    method: 'post',
    summary: 'Browser sign-in: exchanges a token for an HttpOnly, SameSite=Strict session cookie',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['token'],
            properties: { token: { type: 'string' } },
          },
        },
      },
    },
    response: '`{ principal }` and `Set-Cookie: pk_session=…`',
    responses: { 401: 'Unknown, revoked or mistyped token' },
  },
  {
    path: '/api/session',
    method: 'delete',
    summary: 'Sign out',
    response: '204 No Content',
  },
  {
    path: '/api/distributions',
    method: 'post',
    summary:
      'An aggregator uploads a batch of distribution records (all-or-nothing, idempotent per external_id)',
    roles: ['aggregator'],
    requestBody: {
      required: true,
      description:
        'CSV (comma or semicolon separated, header row) or a JSON array of records with the fields external_id, date, aid_type, quantity, recipient_type, kk, head_initials, institution_id, rw_code, lon, lat (see GET /api/distributions/fields). At most 20 MB and 100,000 rows. Optional header Idempotency-Key (replays the first answer for 24 hours). Messages in ?lang=id|en or Accept-Language.',
      content: {
        'text/csv': { schema: { type: 'string' } },
        'application/json': { schema: { type: 'array', items: { type: 'object' } } },
      },
    },
    response:
      '201 `{ batch_id, accepted, already_received, corrected, rows, packages, rws, kelurahan, kelurahan_only, received_at, status }` (`accepted` counts new records and corrections: a changed record under the external_id of a returned one becomes its next version, back in submitted); 200 with the same shape when every row had been received before',
    responses: {
      401: 'No or a wrong token',
      403: 'Not an aggregator, or a cookie-authenticated write from another origin',
      409: 'Idempotency-Key reused with another body',
      413: 'Over 20 MB or 100,000 rows',
      415: 'Neither text/csv nor application/json',
      422: 'Rows rejected: `details.rows[]` of `{ row, column, code, message }` (at most 1,000) and `details.total`; nothing stored. `external_id_changed`: other content under the external_id of a record that is not returned',
    },
  },
  {
    path: '/api/distributions/fields',
    summary: 'The upload data dictionary (fields, requirement, format, example, description id/en)',
    response: '`{ fields: [...], limits: { max_bytes, max_rows } }`',
  },
  {
    path: '/api/distributions/template',
    summary: 'A CSV template with the header and two example rows',
    response: 'text/csv attachment',
  },
  {
    path: '/api/batches',
    summary: "Uploaded batches: an aggregator's own; planners and admins see all",
    roles: ['aggregator', 'planner', 'admin'],
    response:
      '`{ rows: [{ batch_id, aggregator, source, received_at, submitted_by, rows, accepted, already_received, corrected, by_status, packages, rws, kelurahan, kelurahan_only }] }`, newest first (`source=upload|seed|all`, `limit` ≤ 1000)',
  },
  {
    path: '/api/batches/{id}',
    summary: "One batch with its RW codes; another aggregator's batch is 404",
    roles: ['aggregator', 'planner', 'admin'],
    response: 'the batch row plus `rw_codes`',
  },
  {
    path: '/api/records',
    summary:
      "Records the caller may see (aggregator: its own; kelurahan verifier: its kelurahan; province, planner, admin: all), oldest upload first. Default `status`: the caller's work queue (submitted for the kelurahan, verified_kelurahan for the province), else every state",
    roles: ['aggregator', 'verifier_kelurahan', 'verifier_province', 'planner', 'admin'],
    query: RecordsQuery,
    response:
      '`{ rows: [RECORD], total, offset, limit }`; RECORD = RECORD_FIELDS. `flags` holds `possible_duplicate` when another aggregator served the same household the same aid type within DUPLICATE_WINDOW_DAYS (default 14); `reason`/`note` are those of the last rejection or return'.replace(
        'RECORD_FIELDS',
        RECORD_FIELDS,
      ),
  },
  {
    path: '/api/records/reasons',
    summary: 'The fixed list of reasons for rejecting or returning a record',
    roles: ['aggregator', 'verifier_kelurahan', 'verifier_province', 'planner', 'admin'],
    response:
      '`{ reasons: ["duplicate", "not_eligible", "wrong_location", "wrong_quantity", "incomplete", "other"], max_note_length }`',
  },
  {
    path: '/api/records/stats',
    summary:
      "Per aggregator, in the caller's scope: records waiting at each check, the oldest waiting upload, median hours from upload to final verification",
    roles: ['aggregator', 'verifier_kelurahan', 'verifier_province', 'planner', 'admin'],
    response:
      '`{ aggregators: [{ aggregator, aggregator_name, submitted, verified_kelurahan, verified, rejected, returned, oldest_waiting, median_hours_to_verified }] }`',
  },
  {
    path: '/api/records/overlap',
    summary:
      'Planners: per region, households reached and those served by more than one aggregator in the window (at their home region), for the given states (default verified)',
    roles: ['planner', 'admin'],
    query: OverlapParams,
    response:
      '`{ level, from, to, statuses, rows: [{ code, households_reached, households_multi_aggregator, multi_aggregator_share }] }` (regions without a household reached are absent)',
  },
  {
    path: '/api/records/{id}',
    summary:
      "One record in the caller's scope (else 404), its possible duplicates and the moves the caller may make now",
    roles: ['aggregator', 'verifier_kelurahan', 'verifier_province', 'planner', 'admin'],
    params: RecordIdParam,
    response:
      '`{ record: RECORD, duplicates: [{ id, aggregator, aggregator_name, date, aid_type, status, kelurahan_code, visible }], allowed: [state] }`',
  },
  {
    path: '/api/records/{id}/history',
    summary:
      "A record's path from the append-only audit trail, and its versions (corrections keep the replaced ones)",
    roles: ['aggregator', 'verifier_kelurahan', 'verifier_province', 'planner', 'admin'],
    params: RecordIdParam,
    response:
      '`{ id, events: [{ at, actor_role, actor_org, action, from, to, reason, note, batch_id, version }], versions: [{ version, date, aid_type, quantity, recipient_type, rw_code, kelurahan_code, batch_id, status, replaced_at }] }`, oldest first',
  },
  {
    path: '/api/records/transitions',
    method: 'post',
    status: 200,
    summary:
      'Verifiers move records, all or none: the kelurahan verifier submitted → verified_kelurahan | rejected | returned on its kelurahan; the province verified_kelurahan → verified | rejected | returned. Name records by `ids` (≤ 10,000), or verify every clean (unflagged) record of a `batch_id` or of a `kelurahan` + `date`',
    roles: ['verifier_kelurahan', 'verifier_province'],
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: z.toJSONSchema(TransitionBody, { io: 'input', unrepresentable: 'any' }),
        },
      },
    },
    response: '`{ moved, to, ids }`',
    responses: {
      403: 'The role never makes this move (planners, admins, aggregators; a kelurahan verifier asking for verified)',
      404: "A record is unknown or outside the caller's scope: `details.ids`; nothing moved",
      409: "A record's state does not allow the move (e.g. the province before the kelurahan, or another verifier was first): `details.records[] { id, status }`; nothing moved",
    },
  },
  {
    path: '/api/audit',
    summary:
      'The audit trail for a period of Jakarta days (≤ 366), streamed as CSV or JSON lines; never holds a KK',
    roles: ['planner', 'admin'],
    query: AuditQuery,
    response:
      'CSV (or `format=json`: JSON lines) with id, occurred_at, actor, actor_role, actor_org, action, batch_id, record_id, from_status, to_status, reason, note, version, kelurahan_code',
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

const ERROR_RESPONSE = (description: string) => ({
  description,
  content: { 'application/json': { schema: ERROR } },
});

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  // A refined object keeps its fields in the inner schema.
  const object = (
    schema instanceof z.ZodObject
      ? schema
      : ((schema as unknown as { def: { in?: z.ZodType; schema?: z.ZodType } }).def.in ?? schema)
  ) as z.ZodObject;
  if (!(object instanceof z.ZodObject)) return [];
  return Object.entries(object.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path',
    schema: z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }));
}

/** Reads that never wait for a query slot (they do not query the store). */
const NEVER_QUEUED = new Set([
  '/api/health',
  '/api/openapi.json',
  '/api/session',
  '/api/distributions/fields',
  '/api/distributions/template',
]);

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Peta Kolaborasi API',
      version,
      description:
        'Need versus aid for city-wide social-aid collaboration (Jakarta KSBB 2020). Dates are YYYY-MM-DD and inclusive; list parameters repeat or use commas. Public figures count verified records only; `status=` other states needs a planner or admin token (401 without, 403 with another role), and such answers are `Cache-Control: private, no-store`.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A token issued by `npm run token -- create`; on the demo dataset outside production also demo-<aggregator>, demo-verifier-kelurahan, demo-verifier-province, demo-planner, demo-admin',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pk_session',
          description: 'Set by POST /api/session; writes with it must come from the same origin',
        },
      },
    },
    paths: OPERATIONS.reduce<Record<string, Record<string, unknown>>>((paths, op) => {
      const responses: Record<string, unknown> = {
        [op.status ?? (op.method === 'post' ? 201 : 200)]: { description: op.response },
        400: ERROR_RESPONSE('Invalid parameters'),
        404: ERROR_RESPONSE('Not found'),
      };
      for (const [status, description] of Object.entries(op.responses ?? {}))
        responses[status] = ERROR_RESPONSE(description);
      if (op.roles && !op.responses?.[401]) responses[401] = ERROR_RESPONSE('Not signed in');
      if ((op.method ?? 'get') === 'get' && !NEVER_QUEUED.has(op.path)) {
        responses[503] = ERROR_RESPONSE(
          '`overloaded`: every query slot and the short queue were taken (Retry-After: 1); `query_timeout`: the queries ran past QUERY_DEADLINE_SECONDS and were stopped',
        );
      }
      (paths[op.path] ??= {})[op.method ?? 'get'] = {
        summary: op.summary,
        parameters: [...parameters(op.params, 'path'), ...parameters(op.query, 'query')],
        ...(op.requestBody ? { requestBody: op.requestBody } : {}),
        ...(op.roles ? { security: [{ bearer: [] }, { session: [] }], 'x-roles': op.roles } : {}),
        responses,
      };
      return paths;
    }, {}),
  };
}
